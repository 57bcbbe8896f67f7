/**
 * Must-pass cases that need a configured emulator or a misbehaving issuer (11, 26, 35, 36, 44),
 * and the raw HTTP of the clients that cannot be installed here (Python azure-identity 54,
 * Terraform's metadata fetch 57–59).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { startAzureHarness, TENANT, DEFAULT_AUDIENCE, type AzureHarness } from './harness.js'

let h: AzureHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('configured Entra emulator', () => {
  it('26: the legacy option answers AADSTS70021 with Assertion Issuer/Subject/Audience', async () => {
    h = await startAzureHarness({ rules: { legacyNoMatch: true } })
    const { appId } = await h.app()
    const r = await h.exchange(appId, await h.mint({ sub: 'env:staging' }))
    expect(r.json.error_codes).toEqual([70021])
    expect(r.json.error_description).toContain(
      `Assertion Issuer: '${h.issuer.url}'. Assertion Subject: 'env:staging'. Assertion Audience: '${DEFAULT_AUDIENCE}'.`,
    )
  })

  it('44: propagation delay 30 s — at 1 s AADSTS70021 short text, at 31 s OK', async () => {
    h = await startAzureHarness({ rules: { propagationSeconds: 30 } })
    const { appId } = await h.app()
    h.clock.advance(1000)
    const early = await h.exchange(appId, await h.mint())
    expect(early.json.error_codes).toEqual([70021])
    expect(early.json.error_description).toMatch(
      /^AADSTS70021: No matching federated identity record found for presented assertion\. Trace ID/u,
    )
    h.clock.advance(30_000)
    expect((await h.exchange(appId, await h.mint())).status).toBe(200)
  })

  it('36: discovery 404, unreachable, http issuer under --require-https-issuers → AADSTS50166', async () => {
    h = await startAzureHarness()
    const { appId } = await h.app()
    h.issuer.behavior.discoveryStatus = 404
    const r = await h.exchange(appId, await h.mint())
    expect({ status: r.status, codes: r.json.error_codes, error: r.json.error }).toEqual({
      status: 400,
      codes: [50166],
      error: 'invalid_request',
    })
    await h.close()
    h = await startAzureHarness({ rules: { requireHttpsIssuers: true } })
    const other = await h.app()
    expect((await h.exchange(other.appId, await h.mint())).json.error_codes).toEqual([50166])
    const gone = await h.app({ issuer: 'http://127.0.0.1:1', subject: 'env:gone' })
    expect(
      (await h.exchange(gone.appId, await h.mint({ iss: 'http://127.0.0.1:1', sub: 'env:gone' })))
        .json.error_codes,
    ).toEqual([50166])
  })

  it('11: a flexible FIC for K is refused by default; allow-listed, matches env:* accepts env:dev', async () => {
    h = await startAzureHarness()
    const { id } = await h.app(null)
    const body = {
      name: 'flex',
      issuer: h.issuer.url,
      audiences: [DEFAULT_AUDIENCE],
      claimsMatchingExpression: { value: "claims['sub'] matches 'env:*'", languageVersion: 1 },
    }
    expect(
      (await h.admin('POST', `/beta/applications/${id}/federatedIdentityCredentials`, body)).status,
    ).toBe(400)
    await h.close()
    h = await startAzureHarness({ flexibleIssuers: ['http://127.0.0.1:*'] })
    const app = await h.app(null)
    const ok = await h.admin('POST', `/beta/applications/${app.id}/federatedIdentityCredentials`, {
      ...body,
      issuer: h.issuer.url,
    })
    expect(ok.status, ok.text).toBe(201)
    expect((await h.exchange(app.appId, await h.mint({ sub: 'env:dev' }))).status).toBe(200)
    expect((await h.exchange(app.appId, await h.mint({ sub: 'prod' }))).json.error_codes).toEqual([
      700213,
    ])
  })

  it('35: JWKS of 101 keys whose signer is key 101 → AADSTS7000272', async () => {
    h = await startAzureHarness()
    const { appId } = await h.app()
    for (let i = 0; i < 100; i += 1) await h.issuer.rotate()
    expect(h.issuer.jwks().keys).toHaveLength(101)
    const r = await h.exchange(appId, await h.mint())
    expect(r.json.error_codes).toEqual([7000272])
  }, 120_000)
})

describe('raw HTTP of clients not installable here', () => {
  it('54: Python azure-identity sends only the token POST (form, no discovery) → token', async () => {
    h = await startAzureHarness()
    const { appId } = await h.app()
    h.seen.length = 0
    const r = await h.exchange(appId, await h.mint())
    expect(r.status).toBe(200)
    expect(h.seen).toEqual([`POST /${TENANT}/oauth2/v2.0/token`])
  })

  it('57–59: metadata/endpoints has name, https resourceManager, microsoftGraphResourceId, loginEndpoint', async () => {
    h = await startAzureHarness()
    const r = await h.call('GET', '/metadata/endpoints?api-version=2022-09-01')
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({
      name: 'KeylessEmulator',
      resourceManager: `${h.origin}/`,
      microsoftGraphResourceId: 'https://graph.microsoft.com/',
      authentication: { loginEndpoint: h.origin },
    })
    expect(r.text.charCodeAt(0)).not.toBe(0xfeff)
  })
})
