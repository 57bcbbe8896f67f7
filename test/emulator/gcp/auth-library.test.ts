/**
 * google-auth-library (Node), unmodified, against the Google emulator with an external_account
 * file built by src/federation/gcp/external-account.ts (must-pass cases 56–60): loopback token_url
 * and impersonation URL, a token file, a token URL; the errors it raises on refusal.
 */
import { createServer, type Server } from 'node:http'
import { mkdtempSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GoogleAuth } from 'google-auth-library'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildExternalAccount,
  externalAccountSchema,
  type ExternalAccount,
} from '../../../src/federation/gcp/external-account.js'
import { CLOUD_PLATFORM, N, POOL_NAME, SA, startGcpHarness, type GcpHarness } from './harness.js'

const dir = mkdtempSync(join(tmpdir(), 'keyless-gcp-auth-'))

function account(
  h: GcpHarness,
  tokenFile: string,
  extra: { serviceAccountEmail?: string; providerId?: string } = {},
): ExternalAccount {
  return buildExternalAccount({
    projectNumber: N,
    poolId: 'kl-pool',
    providerId: extra.providerId ?? 'kl-oidc',
    tokenFile,
    stsEndpoint: h.origin,
    iamCredentialsEndpoint: h.origin,
    ...(extra.serviceAccountEmail === undefined
      ? {}
      : { serviceAccountEmail: extra.serviceAccountEmail }),
  })
}

function write(name: string, content: string): string {
  const file = join(dir, name)
  writeFileSync(file, content)
  return file
}

async function accessToken(
  json: unknown,
): Promise<{ token: string | null | undefined; expiry: number | null | undefined }> {
  const file = write(`cred-${Math.random().toString(36).slice(2)}.json`, JSON.stringify(json))
  const auth = new GoogleAuth({ keyFile: file, scopes: [CLOUD_PLATFORM] })
  const client = await auth.getClient()
  const { token } = await client.getAccessToken()
  return { token, expiry: client.credentials.expiry_date }
}

describe('google-auth-library against the Google emulator', () => {
  let h: GcpHarness
  let urlSource: Server
  let urlToken = ''
  beforeAll(async () => {
    h = await startGcpHarness()
    await h.setup()
    urlSource = createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id_token: urlToken })),
    )
    await new Promise<void>((r) => urlSource.listen(0, '127.0.0.1', r))
  })
  afterAll(async () => {
    urlSource.close()
    await h.close()
  })

  it('the external_account file keyless builds is one the schema accepts', async () => {
    const json = account(h, write('t0', await h.mint()), { serviceAccountEmail: SA })
    expect(externalAccountSchema.parse(json)).toEqual(json)
    expect(json).toMatchObject({
      type: 'external_account',
      audience: `//iam.googleapis.com/${POOL_NAME}/providers/kl-oidc`,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: `${h.origin}/v1/token`,
      service_account_impersonation_url: `${h.origin}/v1/projects/-/serviceAccounts/${SA}:generateAccessToken`,
    })
  })

  it('56: getAccessToken() is the service account token after STS (scope cloud-platform) then IAM Credentials', async () => {
    h.seen.length = 0
    h.bodies.length = 0
    const { token } = await accessToken(
      account(h, write('t56', await h.mint()), { serviceAccountEmail: SA }),
    )
    expect(token).toMatch(/^ya29\.c\./u)
    expect(h.seen).toEqual([
      'POST /v1/token',
      `POST /v1/projects/-/serviceAccounts/${SA}:generateAccessToken`,
    ])
    expect(new URLSearchParams(h.bodies[0]).get('scope')).toBe(CLOUD_PLATFORM)
    expect(JSON.parse(h.bodies[1] ?? '{}')).toMatchObject({
      scope: [CLOUD_PLATFORM],
      lifetime: '3600s',
    })
  })

  it('57: without impersonation the STS token itself, expiry_date = now + expires_in', async () => {
    const before = Date.now()
    const { token, expiry } = await accessToken(account(h, write('t57', await h.mint())))
    expect(token).toMatch(/^ya29\.d\./u)
    expect(expiry).toBeGreaterThanOrEqual(before + 3599 * 1000)
    expect(expiry).toBeLessThanOrEqual(Date.now() + 3599 * 1000)
  })

  it('58: a token file ending in a newline is accepted (the emulator trims)', async () => {
    const { token } = await accessToken(account(h, write('t58', `${await h.mint()}\n`)))
    expect(token).toMatch(/^ya29\.d\./u)
  })

  it('59: credential_source.url with a json format is fetched and exchanged', async () => {
    urlToken = await h.mint()
    const base = account(h, 'unused')
    const json = {
      ...base,
      credential_source: {
        url: `http://127.0.0.1:${(urlSource.address() as AddressInfo).port}/token`,
        headers: { 'x-test': '1' },
        format: { type: 'json', subject_token_field_name: 'id_token' },
      },
    }
    expect(externalAccountSchema.safeParse(json).success).toBe(true)
    expect((await accessToken(json)).token).toMatch(/^ya29\.d\./u)
  })

  it('60: refused by the attribute condition → "Error code unauthorized_client: The given credential is rejected by the attribute condition."', async () => {
    await h.provider('al-cond', { attributeCondition: "assertion.environment == 'prod'" })
    const aud = `//iam.googleapis.com/${POOL_NAME}/providers/al-cond`
    const file = write('t60', await h.mint({ aud, environment: 'dev' }))
    await expect(accessToken(account(h, file, { providerId: 'al-cond' }))).rejects.toThrow(
      'Error code unauthorized_client: The given credential is rejected by the attribute condition.',
    )
  })

  it('48 through the client: an unbound principal gets the PERMISSION_DENIED text', async () => {
    const file = write('t48', await h.mint({ sub: 'env:dev', environment: 'dev' }))
    await expect(accessToken(account(h, file, { serviceAccountEmail: SA }))).rejects.toThrow(
      "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
    )
  })
})
