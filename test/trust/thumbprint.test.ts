import { execFileSync } from 'node:child_process'
import { createHash, X509Certificate } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeThumbprint } from '../../src/trust/index.js'
import { runTrustCli } from './cli-harness.js'

const OPENSSL = '/usr/bin/openssl'
const hasOpenssl = existsSync(OPENSSL)

/** CA → intermediate → leaf (for 127.0.0.1 and localhost), made with the openssl CLI. */
function makeChain(dir: string): { ca: string; intermediate: string; leaf: string; key: string } {
  const run = (...args: string[]): void => {
    execFileSync(OPENSSL, args, { cwd: dir, stdio: 'pipe' })
  }
  const ext = (name: string, body: string): string => {
    writeFileSync(join(dir, name), body)
    return name
  }
  run(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Keyless Test Root CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  )
  run(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'int.key',
    '-out',
    'int.csr',
    '-subj',
    '/CN=Keyless Test Intermediate CA',
  )
  run(
    'x509',
    '-req',
    '-in',
    'int.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'int.pem',
    '-days',
    '2',
    '-extfile',
    ext(
      'int.ext',
      'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n',
    ),
  )
  run(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'leaf.key',
    '-out',
    'leaf.csr',
    '-subj',
    '/CN=127.0.0.1',
  )
  run(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'int.pem',
    '-CAkey',
    'int.key',
    '-CAcreateserial',
    '-out',
    'leaf.pem',
    '-days',
    '2',
    '-extfile',
    ext('leaf.ext', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'),
  )
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8')
  return {
    ca: read('ca.pem'),
    intermediate: read('int.pem'),
    leaf: read('leaf.pem'),
    key: read('leaf.key'),
  }
}

const sha1 = (pem: string): string =>
  createHash('sha1').update(new X509Certificate(pem).raw).digest('hex')

describe.skipIf(!hasOpenssl)('thumbprint (aws-behaviour.md §16) of a local HTTPS issuer', () => {
  let dir: string
  let chain: ReturnType<typeof makeChain>
  let server: Server
  let issuer: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyless-thumb-'))
    chain = makeChain(dir)
    server = createServer({ key: chain.key, cert: chain.leaf + chain.intermediate }, (req, res) => {
      if (req.url === '/.well-known/openid-configuration')
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json` }))
      else res.writeHead(404).end()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
    rmSync(dir, { recursive: true, force: true })
  })

  it('is the SHA-1 of the last certificate the jwks_uri host serves (the intermediate)', async () => {
    const result = await computeThumbprint(issuer, { ca: chain.ca })
    expect(result.thumbprint).toMatch(/^[0-9a-f]{40}$/u)
    expect(result.thumbprint).toBe(sha1(chain.intermediate))
    expect(result.thumbprint).not.toBe(sha1(chain.ca))
    expect(result.chain.map((c) => c.sha1)).toEqual([sha1(chain.leaf), sha1(chain.intermediate)])
    expect(result.certificate.subject).toContain('Keyless Test Intermediate CA')
    expect(result.jwksUri).toBe(`${issuer}/.well-known/jwks.json`)
  })

  it('keyless thumbprint URL --ca-file prints it', async () => {
    const r = await runTrustCli(['thumbprint', issuer, '--ca-file', join(dir, 'ca.pem')])
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')[0]).toBe(sha1(chain.intermediate))
    expect(r.stdout).toContain('Keyless Test Intermediate CA')
    const json = await runTrustCli([
      'thumbprint',
      issuer,
      '--ca-file',
      join(dir, 'ca.pem'),
      '--format',
      'json',
    ])
    expect(JSON.parse(json.stdout).thumbprint).toBe(sha1(chain.intermediate))
  })

  it('refuses to trust the discovery document without the CA', async () => {
    await expect(computeThumbprint(issuer)).rejects.toMatchObject({ code: 'input_unreadable' })
  })

  it('says so when nothing listens', async () => {
    const err = await computeThumbprint('https://127.0.0.1:1', { timeoutMs: 2000 }).catch((e) => e)
    expect(err).toMatchObject({ code: 'input_unreadable' })
    expect(String(err.message)).toMatch(
      /^cannot read the discovery document at https:\/\/127\.0\.0\.1:1/u,
    )
  })
})
