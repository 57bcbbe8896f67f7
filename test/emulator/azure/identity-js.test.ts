/**
 * @azure/identity, unmodified, against the Entra emulator (must-pass cases 47–53): run in a child
 * Node process so the emulator's CA reaches it the way users pass it, NODE_EXTRA_CA_CERTS.
 */
import { execFile } from 'node:child_process'
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
})
