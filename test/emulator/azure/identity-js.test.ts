/**
 * @azure/identity, unmodified, against the Entra emulator (must-pass cases 47–53): run in a child
 * Node process so the emulator's CA reaches it the way users pass it, NODE_EXTRA_CA_CERTS.
 */
import { execFile } from 'node:child_process'
import { createServer, request } from 'node:https'
import type { AddressInfo } from 'node:net'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../support/cli.js'
import { ARM_SCOPE, TENANT, startAzureHarness, type AzureHarness } from './harness.js'

const run = promisify(execFile)

/** Runs `body` (an async function body using `identity`) in a child; answers its JSON output. */
async function client(
  h: AzureHarness,
  body: string,
  env: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const script = `import * as identity from '@azure/identity'
const out = await (async () => { ${body} })().catch((e) => ({ name: e.name, message: String(e.message) }))
process.stdout.write(JSON.stringify(out))`
  const file = join(REPO_ROOT, 'node_modules', '.keyless-azure-identity-test.mjs')
  writeFileSync(file, script)
  const { stdout } = await run(process.execPath, [file], {
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_EXTRA_CA_CERTS: join(h.dataDir, 'emulator-ca.pem'),
      ...env,
    },
    timeout: 60_000,
  })
  return JSON.parse(stdout) as Record<string, unknown>
}

describe('@azure/identity against the Entra emulator', () => {
  let h: AzureHarness
  let appId = ''
  beforeAll(async () => {
    h = await startAzureHarness()
    appId = (await h.app()).appId
  })
  afterAll(async () => {
    await h.close()
  })
  const assertion = async (claims: Record<string, unknown> = {}): Promise<string> =>
    JSON.stringify(await h.mint(claims))

  it('47, 52: ClientAssertionCredential gets a token after only openid-configuration + token; a second getToken is cached', async () => {
    h.seen.length = 0
    const out = await client(
      h,
      `
      const c = new identity.ClientAssertionCredential(${JSON.stringify(TENANT)}, ${JSON.stringify(appId)}, async () => ${await assertion()}, { authorityHost: ${JSON.stringify(h.origin)}, disableInstanceDiscovery: true })
      const a = await c.getToken(${JSON.stringify(ARM_SCOPE)})
      const b = await c.getToken(${JSON.stringify(ARM_SCOPE)})
      return { token: a.token, same: a.token === b.token, expires: a.expiresOnTimestamp }`,
    )
    expect(out['name'], JSON.stringify(out)).toBeUndefined()
    expect(String(out['token']).split('.')).toHaveLength(3)
    expect(out['same']).toBe(true)
    expect(h.seen).toEqual([
      `GET /${TENANT}/v2.0/.well-known/openid-configuration`,
      `POST /${TENANT}/oauth2/v2.0/token`,
    ])
  })

  it('48: WorkloadIdentityCredential from AZURE_AUTHORITY_HOST, AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE', async () => {
    const file = join(h.dataDir, 'token')
    writeFileSync(file, `${await h.mint()}\n`)
    const out = await client(
      h,
      `
      const c = new identity.WorkloadIdentityCredential({ disableInstanceDiscovery: true })
      return { token: (await c.getToken(${JSON.stringify(ARM_SCOPE)})).token }`,
      {
        AZURE_AUTHORITY_HOST: h.origin,
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: appId,
        AZURE_FEDERATED_TOKEN_FILE: file,
      },
    )
    expect(out['name'], JSON.stringify(out)).toBeUndefined()
    expect(String(out['token']).split('.')).toHaveLength(3)
  })

  it('50: an http authorityHost is refused before any request', async () => {
    h.seen.length = 0
    const out = await client(
      h,
      `
      const c = new identity.ClientAssertionCredential(${JSON.stringify(TENANT)}, ${JSON.stringify(appId)}, async () => 'x', { authorityHost: ${JSON.stringify(h.origin.replace('https', 'http'))}, disableInstanceDiscovery: true })
      return { token: (await c.getToken(${JSON.stringify(ARM_SCOPE)})).token }`,
    )
    expect(String(out['message'])).toContain(
      "The authorityHost address must use the 'https' protocol.",
    )
    expect(h.seen).toEqual([])
  })

  it('53: the refusal of case 24 shows AADSTS700213 and the Correlation ID', async () => {
    const out = await client(
      h,
      `
      const c = new identity.ClientAssertionCredential(${JSON.stringify(TENANT)}, ${JSON.stringify(appId)}, async () => ${await assertion({ sub: 'env:staging' })}, { authorityHost: ${JSON.stringify(h.origin)}, disableInstanceDiscovery: true })
      return { token: (await c.getToken(${JSON.stringify(ARM_SCOPE)})).token }`,
    )
    expect(String(out['name'])).toMatch(/^Authentication(Required)?Error$/u)
    expect(String(out['message'])).toContain('AADSTS700213')
    expect(String(out['message'])).toContain('Correlation ID')
  })

  it('49: without disableInstanceDiscovery, offline, MSAL cannot resolve the authority (documented limitation)', async () => {
    h.seen.length = 0
    const out = await client(
      h,
      `
      const c = new identity.ClientAssertionCredential(${JSON.stringify(TENANT)}, ${JSON.stringify(appId)}, async () => ${await assertion()}, { authorityHost: ${JSON.stringify(h.origin)} })
      return { token: (await c.getToken(${JSON.stringify(ARM_SCOPE)})).token }`,
    )
    // @azure/identity 4.13 (MSAL Node 3) says endpoints_resolution_error; older MSALs said
    // untrusted_authority. Either way nothing reached the emulator: discovery asks Microsoft.
    expect(String(out['message'])).toMatch(/endpoints_resolution_error|untrusted_authority/u)
    expect(h.seen).toEqual([])
  })

  it('51: the default openid-configuration names the authority the client asked; a foreign issuer host is not checked by this MSAL', async () => {
    const doc = await h.call('GET', `/${TENANT}/v2.0/.well-known/openid-configuration`)
    expect(new URL(String(doc.json.issuer)).host).toBe(new URL(h.origin).host)
    const foreign = await rewritingProxy(h, (body) =>
      body.replace(/"issuer":"https:\/\/[^/"]+/u, '"issuer":"https://login.foreign.example'),
    )
    try {
      const out = await client(
        h,
        `
      const c = new identity.ClientAssertionCredential(${JSON.stringify(TENANT)}, ${JSON.stringify(appId)}, async () => ${await assertion()}, { authorityHost: ${JSON.stringify(foreign.origin)}, disableInstanceDiscovery: true })
      return { token: (await c.getToken(${JSON.stringify(ARM_SCOPE)})).token }`,
      )
      // MSAL Node 3 does not validate the metadata's issuer (issuer-validating MSALs would refuse;
      // docs/emulator.md): the default document passes either way.
      expect(String(out['token']).split('.')).toHaveLength(3)
    } finally {
      foreign.close()
    }
  })
})

/** An https proxy in front of the emulator (its certificate) that rewrites discovery answers. */
async function rewritingProxy(
  h: AzureHarness,
  rewrite: (body: string) => string,
): Promise<{ origin: string; close: () => void }> {
  const tls = h.emulator.azure.tls
  const proxy = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const upstream = request(
      {
        host: '127.0.0.1',
        port: h.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
        ca: h.ca,
      },
      (r) => {
        const chunks: Buffer[] = []
        r.on('data', (c: Buffer) => chunks.push(c))
        r.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8')
          res.writeHead(r.statusCode ?? 502, { 'content-type': 'application/json' })
          res.end(req.url?.includes('openid-configuration') === true ? rewrite(body) : body)
        })
      },
    )
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()))
  const { port } = proxy.address() as AddressInfo
  return { origin: `https://127.0.0.1:${port}`, close: () => proxy.close() }
}
