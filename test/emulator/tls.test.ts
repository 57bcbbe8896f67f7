/**
 * https issuers: a private CA through `caFile` (`--ca-file`), and thumbprint verification
 * (`--verify-thumbprints`). Certificates are made with the openssl CLI; skipped without it.
 */
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EmulatorConfig } from '../../src/emulator/index.js'
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js'
import { startHarness } from './harness.js'

const OPENSSL = '/usr/bin/openssl'
const NO_KEY =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"

describe.skipIf(!existsSync(OPENSSL))('https issuers', () => {
  let dir: string
  let issuer: TestIssuer
  let caThumbprint: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyless-tls-'))
    const ssl = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, stdio: 'ignore' })
    ssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=keyless test CA',
    )
    ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'leaf.key',
      '-out',
      'leaf.csr',
      '-subj',
      '/CN=127.0.0.1',
    )
    writeFileSync(join(dir, 'ext'), 'subjectAltName=IP:127.0.0.1\n')
    ssl(
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'leaf.pem',
      '-days',
      '2',
      '-extfile',
      'ext',
    )
    const ca = readFileSync(join(dir, 'ca.pem'), 'utf8')
    caThumbprint = new X509Certificate(ca).fingerprint.replace(/:/gu, '').toLowerCase()
    issuer = await startTestIssuer({
      tls: {
        key: readFileSync(join(dir, 'leaf.key'), 'utf8'),
        cert: readFileSync(join(dir, 'leaf.pem'), 'utf8') + ca,
      },
    })
  })
  afterAll(async () => {
    await issuer.close()
  })

  async function assume(config: Partial<EmulatorConfig>, thumbprint?: string) {
    const h = await startHarness({ issuerInstance: issuer, config })
    try {
      const r = await h.iam({
        Action: 'CreateOpenIDConnectProvider',
        Url: issuer.url,
        'ClientIDList.member.1': 'sts.amazonaws.com',
        ...(thumbprint === undefined ? {} : { 'ThumbprintList.member.1': thumbprint }),
      })
      expect(r.status, r.body).toBe(200)
      expect(
        (
          await h.iam({
            Action: 'CreateRole',
            RoleName: 'R',
            AssumeRolePolicyDocument: JSON.stringify(h.t0()),
          })
        ).status,
      ).toBe(200)
      return await h.assume(await issuer.mint())
    } finally {
      await h.close()
    }
  }

  it('refuses an issuer whose certificate does not chain to a trusted CA', async () => {
    const r = await assume({})
    expect(r.code).toBe('InvalidIdentityToken')
    expect(r.message).toBe(NO_KEY)
  })

  it('accepts it with the CA in caFile', async () => {
    expect((await assume({ caFile: join(dir, 'ca.pem') })).status).toBe(200)
  })

  it('checks thumbprints when asked to', async () => {
    const config = { caFile: join(dir, 'ca.pem'), verifyThumbprints: true }
    expect((await assume(config, caThumbprint)).status).toBe(200)
    const wrong = await assume(config, '0'.repeat(40))
    expect(wrong.message).toBe(NO_KEY)
  })
})
