/**
 * The Entra emulator's must-pass cases (docs/emulator.md, "Azure"), as a table over real https.
 * Conventions: K = the loopback test issuer (http://127.0.0.1:<port>, accepted by default), C = a
 * fresh app registration per case with FIC `prod` {K, `env:prod`, api://AzureADTokenExchange}.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ARM_SCOPE,
  DEFAULT_AUDIENCE,
  JWT_BEARER,
  TENANT,
  startAzureHarness,
  type AzureHarness,
  type HttpReply,
} from './harness.js'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u
const TRAILER =
  / Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/u

interface Case {
  readonly id: number | string
  readonly name: string
  run(h: AzureHarness): Promise<void>
}

function expectAad(
  r: HttpReply,
  status: number,
  error: string,
  code: number,
  text?: string | RegExp,
): void {
  expect({ status: r.status, error: r.json?.error, codes: r.json?.error_codes }, r.text).toEqual({
    status,
    error,
    codes: [code],
  })
  expect(Object.keys(r.json as object).sort()).toEqual([
    'correlation_id',
    'error',
    'error_codes',
    'error_description',
    'error_uri',
    'timestamp',
    'trace_id',
  ])
  const description = String(r.json.error_description)
  expect(description).toMatch(TRAILER)
  expect(description.startsWith(`AADSTS${code}: `)).toBe(true)
  const message = description.slice(`AADSTS${code}: `.length).replace(TRAILER, '')
  if (typeof text === 'string') expect(message).toBe(text)
  else if (text !== undefined) expect(message).toMatch(text)
}

function expectOk(r: HttpReply): Record<string, unknown> {
  expect(r.status, r.text).toBe(200)
  return r.json as Record<string, unknown>
}

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >
}

const ficPath = (id: string): string => `/v1.0/applications/${id}/federatedIdentityCredentials`
const fic = (h: AzureHarness, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'fic1',
  issuer: h.issuer.url,
  subject: 'env:x',
  audiences: [DEFAULT_AUDIENCE],
  ...extra,
})
const uami = (name: string): string =>
  `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`
const V = '?api-version=2024-11-30'
const now = (h: AzureHarness): number => Math.floor(h.clock.now().getTime() / 1000)
const sub = (s: string): string =>
  `No matching federated identity record found for presented assertion subject '${s}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`

const management: Case[] = [
  {
    id: 1,
    name: 'Graph POST F0 → 201 with GUID id, description null, @odata.context',
    async run(h) {
      const { id } = await h.app(null)
      const r = await h.admin('POST', ficPath(id), {
        name: 'prod',
        issuer: h.issuer.url,
        subject: 'env:prod',
        audiences: [DEFAULT_AUDIENCE],
      })
      expect(r.status, r.text).toBe(201)
      expect(r.json.id).toMatch(GUID)
      expect(r.json.description).toBeNull()
      expect(r.json['@odata.context']).toMatch(/\/federatedIdentityCredentials\/\$entity$/u)
    },
  },
  {
    id: 2,
    name: 'FIC names ab, 121 chars, -x, a b → 400; a_b-1 → 201',
    async run(h) {
      const { id } = await h.app(null)
      for (const [i, name] of ['ab', 'a'.repeat(121), '-x', 'a b'].entries())
        expect(
          (await h.admin('POST', ficPath(id), fic(h, { name, subject: `s${i}` }))).status,
        ).toBe(400)
      expect((await h.admin('POST', ficPath(id), fic(h, { name: 'a_b-1' }))).status).toBe(201)
    },
  },
  {
    id: 3,
    name: 'audiences empty or two → 400 (UAMI text)',
    async run(h) {
      const { id } = await h.app(null)
      expect((await h.admin('POST', ficPath(id), fic(h, { audiences: [] }))).status).toBe(400)
      expect((await h.admin('POST', ficPath(id), fic(h, { audiences: ['a', 'b'] }))).status).toBe(
        400,
      )
      expect((await h.admin('PUT', uami('mi3') + V, { location: 'westeurope' })).status).toBe(201)
      const r = await h.admin('PUT', `${uami('mi3')}/federatedIdentityCredentials/fic1${V}`, {
        properties: { issuer: h.issuer.url, subject: 's', audiences: ['a', 'b'] },
      })
      expect({ status: r.status, message: r.json.error.message }).toEqual({
        status: 400,
        message: 'Federated identity credentials must have exactly one audience.',
      })
    },
  },
  {
    id: 4,
    name: 'issuer/subject/audience of 601 chars → 400; 600 → 201',
    async run(h) {
      const { id } = await h.app(null)
      const long = 'x'.repeat(601)
      for (const extra of [{ issuer: long }, { subject: long }, { audiences: [long] }])
        expect((await h.admin('POST', ficPath(id), fic(h, extra))).status).toBe(400)
      expect(
        (
          await h.admin(
            'POST',
            ficPath(id),
            fic(h, {
              issuer: 'x'.repeat(600),
              subject: 'y'.repeat(600),
              audiences: ['z'.repeat(600)],
            }),
          )
        ).status,
      ).toBe(201)
    },
  },
  {
    id: 5,
    name: 'duplicate (issuer, subject) under another name → 400 (UAMI text)',
    async run(h) {
      const { id } = await h.app()
      expect(
        (await h.admin('POST', ficPath(id), fic(h, { name: 'other', subject: 'env:prod' }))).status,
      ).toBe(400)
      await h.admin('PUT', uami('mi5') + V, { location: 'westeurope' })
      const body = {
        properties: { issuer: h.issuer.url, subject: 's', audiences: [DEFAULT_AUDIENCE] },
      }
      expect(
        (await h.admin('PUT', `${uami('mi5')}/federatedIdentityCredentials/fica${V}`, body)).status,
      ).toBe(201)
      const r = await h.admin('PUT', `${uami('mi5')}/federatedIdentityCredentials/ficb${V}`, body)
      expect({ status: r.status, message: r.json.error.message }).toEqual({
        status: 400,
        message: 'Issuer and subject combination already exists for this Managed Identity.',
      })
    },
  },
  {
    id: 6,
    name: '20th FIC → 201; 21st → 4xx',
    async run(h) {
      const { id } = await h.app(null)
      for (let i = 1; i <= 20; i += 1)
        expect(
          (await h.admin('POST', ficPath(id), fic(h, { name: `fic${i}`, subject: `s${i}` })))
            .status,
        ).toBe(201)
      const r = await h.admin('POST', ficPath(id), fic(h, { name: 'fic21', subject: 's21' }))
      expect(r.status).toBeGreaterThanOrEqual(400)
      expect(r.status).toBeLessThan(500)
    },
  },
  {
    id: 7,
    name: 'ARM PUT UAMI FIC → 201, re-PUT → 200, type',
    async run(h) {
      await h.admin('PUT', uami('mi7') + V, { location: 'westeurope' })
      const body = {
        properties: { issuer: h.issuer.url, subject: 's', audiences: [DEFAULT_AUDIENCE] },
      }
      const first = await h.admin(
        'PUT',
        `${uami('mi7')}/federatedIdentityCredentials/fic1${V}`,
        body,
      )
      expect(first.status).toBe(201)
      expect(first.json.type).toBe(
        'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
      )
      expect(
        (await h.admin('PUT', `${uami('mi7')}/federatedIdentityCredentials/fic1${V}`, body)).status,
      ).toBe(200)
    },
  },
  {
    id: 8,
    name: 'ARM PUT under a missing UAMI → 404',
    async run(h) {
      const r = await h.admin('PUT', `${uami('missing')}/federatedIdentityCredentials/fic1${V}`, {
        properties: { issuer: h.issuer.url, subject: 's', audiences: ['a'] },
      })
      expect({ status: r.status, message: r.json.error.message }).toEqual({
        status: 404,
        message: "The parent user-assigned identity doesn't exist.",
      })
    },
  },
  {
    id: 9,
    name: 'two concurrent PUTs under one UAMI → one 409',
    async run(h) {
      await h.admin('PUT', uami('mi9') + V, { location: 'westeurope' })
      const put = (n: string) =>
        h.admin('PUT', `${uami('mi9')}/federatedIdentityCredentials/${n}${V}`, {
          properties: { issuer: h.issuer.url, subject: n, audiences: ['a'] },
        })
      const statuses = (await Promise.all([put('fica'), put('ficb')])).map((r) => r.status).sort()
      expect(statuses).toEqual([201, 409])
    },
  },
  {
    id: 10,
    name: 'beta FIC with subject and expression, or languageVersion 2 → 400',
    async run(h) {
      const { id } = await h.app(null)
      const base = {
        name: 'ghub',
        issuer: 'https://token.actions.githubusercontent.com',
        audiences: [DEFAULT_AUDIENCE],
      }
      const expr = (languageVersion: number) => ({
        value: "claims['sub'] matches 'repo:o/*'",
        languageVersion,
      })
      expect(
        (
          await h.admin('POST', `/beta/applications/${id}/federatedIdentityCredentials`, {
            ...base,
            subject: 's',
            claimsMatchingExpression: expr(1),
          })
        ).status,
      ).toBe(400)
      expect(
        (
          await h.admin('POST', `/beta/applications/${id}/federatedIdentityCredentials`, {
            ...base,
            claimsMatchingExpression: expr(2),
          })
        ).status,
      ).toBe(400)
      expect(
        (
          await h.admin('POST', `/beta/applications/${id}/federatedIdentityCredentials`, {
            ...base,
            claimsMatchingExpression: expr(1),
          })
        ).status,
      ).toBe(201)
    },
  },
  {
    id: 12,
    name: 'openid-configuration: 4 keys, issuer https://127.0.0.1:<port>/{T}/v2.0',
    async run(h) {
      const r = await h.call('GET', `/${TENANT}/v2.0/.well-known/openid-configuration`)
      expect(r.status).toBe(200)
      expect(r.json.issuer).toBe(`${h.origin}/${TENANT}/v2.0`)
      for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'])
        expect(r.json[k]).toMatch(/^https:\/\/127\.0\.0\.1:/u)
    },
  },
  {
    id: 'auth',
    name: 'management without or with a wrong bearer → 401 in the cloud shape',
    async run(h) {
      const g = await h.call('POST', '/v1.0/applications', { body: '{}' })
      expect({ status: g.status, code: g.json.error.code }).toEqual({
        status: 401,
        code: 'InvalidAuthenticationToken',
      })
      const a = await h.call('GET', uami('x') + V, { headers: { authorization: 'Bearer nope' } })
      expect({ status: a.status, code: a.json.error.code }).toEqual({
        status: 401,
        code: 'InvalidAuthenticationToken',
      })
    },
  },
]

const exchange: Case[] = [
  {
    id: 13,
    name: 'J0 → OK with integer expires_in and ext_expires_in',
    async run(h) {
      const { appId } = await h.app()
      const ok = expectOk(await h.exchange(appId, await h.mint()))
      expect(ok).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 })
    },
  },
  {
    id: 14,
    name: 'access_token is a 3-part JWT with tid, appid, oid, aud, ver, exp',
    async run(h) {
      const { appId } = await h.app()
      const ok = expectOk(await h.exchange(appId, await h.mint()))
      const token = String(ok['access_token'])
      expect(token.split('.')).toHaveLength(3)
      expect(claimsOf(token)).toMatchObject({
        tid: TENANT,
        appid: appId,
        aud: 'https://management.azure.com',
        ver: '1.0',
        idtyp: 'app',
        iss: `https://sts.windows.net/${TENANT}/`,
      })
      expect(claimsOf(token)['oid']).toMatch(GUID)
      expect(claimsOf(token)['exp']).toBe(now(h) + 3599)
    },
  },
  {
    id: 15,
    name: 'client-request-id + MSAL telemetry → OK; errors echo it as correlation_id',
    async run(h) {
      const { appId } = await h.app()
      const rid = '5b3b1c1e-4c4d-4a4e-9f9f-1a2b3c4d5e6f'
      const form = {
        client_id: appId,
        scope: ARM_SCOPE,
        grant_type: 'client_credentials',
        client_assertion_type: JWT_BEARER,
        client_assertion: await h.mint(),
        'client-request-id': rid,
        'x-client-SKU': 'msal.js.node',
        'x-client-VER': '3.0.0',
        'x-ms-lib-capability': 'retry-after, h429',
        'x-client-current-telemetry': '5|771,2,,,|,',
      }
      expectOk(await h.token(form, `/${TENANT}/oauth2/v2.0/token?client-request-id=${rid}`))
      const bad = await h.token(
        { ...form, client_assertion: await h.mint({ sub: 'env:nope' }) },
        `/${TENANT}/oauth2/v2.0/token?client-request-id=${rid}`,
      )
      expect(bad.json.correlation_id).toBe(rid)
    },
  },
  {
    id: 16,
    name: 'missing or wrong client_assertion_type → 400 invalid_request',
    async run(h) {
      const { appId } = await h.app()
      const a = await h.mint()
      expectAad(
        await h.exchange(appId, a, { client_assertion_type: undefined }),
        400,
        'invalid_request',
        900144,
      )
      expectAad(
        await h.exchange(appId, a, { client_assertion_type: 'urn:x' }),
        400,
        'invalid_request',
        900144,
      )
    },
  },
  {
    id: 17,
    name: 'grant_type=password → 400 unsupported_grant_type',
    async run(h) {
      const { appId } = await h.app()
      expectAad(
        await h.exchange(appId, await h.mint(), { grant_type: 'password' }),
        400,
        'unsupported_grant_type',
        70003,
      )
    },
  },
  {
    id: 18,
    name: 'scope without /.default → invalid_scope; management.core.windows.net//.default → OK',
    async run(h) {
      const { appId } = await h.app()
      expectAad(
        await h.exchange(appId, await h.mint(), {
          scope: 'https://management.azure.com/user_impersonation',
        }),
        400,
        'invalid_scope',
        70011,
        "The provided value for the input parameter 'scope' is not valid. The scope https://management.azure.com/user_impersonation is not valid.",
      )
      const ok = expectOk(
        await h.exchange(appId, await h.mint(), {
          scope: 'https://management.core.windows.net//.default',
        }),
      )
      expect(claimsOf(String(ok['access_token']))['aud']).toBe(
        'https://management.core.windows.net/',
      )
    },
  },
  {
    id: 19,
    name: 'unknown client_id → 400 unauthorized_client AADSTS700016',
    async run(h) {
      const c = '11111111-2222-3333-4444-555555555555'
      expectAad(
        await h.exchange(c, await h.mint()),
        400,
        'unauthorized_client',
        700016,
        new RegExp(
          `^Application with identifier '${c}' was not found in the directory '${TENANT}'\\.`,
          'u',
        ),
      )
    },
  },
  {
    id: 20,
    name: 'unknown tenant → 400 invalid_request AADSTS90002',
    async run(h) {
      const { appId } = await h.app()
      const form = {
        client_id: appId,
        scope: ARM_SCOPE,
        grant_type: 'client_credentials',
        client_assertion_type: JWT_BEARER,
        client_assertion: await h.mint(),
      }
      expectAad(
        await h.token(form, '/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token'),
        400,
        'invalid_request',
        90002,
      )
    },
  },
  {
    id: 21,
    name: 'iss https://other.test → 401 invalid_client AADSTS700211',
    async run(h) {
      const { appId } = await h.app()
      expectAad(
        await h.exchange(appId, await h.mint({ iss: 'https://other.test' })),
        401,
        'invalid_client',
        700211,
        /^No matching federated identity record found for presented assertion issuer 'https:\/\/other\.test'\./u,
      )
    },
  },
  {
    id: 22,
    name: 'trailing slash in the FIC issuer (and the reverse) → AADSTS700211',
    async run(h) {
      const { appId } = await h.app({ issuer: `${h.issuer.url}/` })
      expectAad(await h.exchange(appId, await h.mint()), 401, 'invalid_client', 700211)
      const other = await h.app()
      expectAad(
        await h.exchange(other.appId, await h.mint({ iss: `${h.issuer.url}/` })),
        401,
        'invalid_client',
        700211,
      )
    },
  },
  {
    id: 23,
    name: 'aud https://prod.env0.com vs a default-audience FIC → AADSTS700212',
    async run(h) {
      const { appId } = await h.app()
      expectAad(
        await h.exchange(appId, await h.mint({ aud: 'https://prod.env0.com' })),
        401,
        'invalid_client',
        700212,
        /presented assertion audience 'https:\/\/prod\.env0\.com'/u,
      )
    },
  },
  {
    id: 24,
    name: 'sub env:staging → AADSTS700213 quoting the sub',
    async run(h) {
      const { appId } = await h.app()
      expectAad(
        await h.exchange(appId, await h.mint({ sub: 'env:staging' })),
        401,
        'invalid_client',
        700213,
        sub('env:staging'),
      )
    },
  },
  {
    id: 25,
    name: 'sub ENV:prod → AADSTS7002138 with the case-insensitive sentence',
    async run(h) {
      const { appId } = await h.app()
      expectAad(
        await h.exchange(appId, await h.mint({ sub: 'ENV:prod' })),
        401,
        'invalid_client',
        7002138,
        /The subject matches with case-insensitive comparison, but not with case-sensitive comparison\./u,
      )
    },
  },
  {
    id: 27,
    name: 'FICs env:prod + env:dev; token env:dev → OK',
    async run(h) {
      const { id, appId } = await h.app()
      expect(
        (await h.admin('POST', ficPath(id), fic(h, { name: 'dev', subject: 'env:dev' }))).status,
      ).toBe(201)
      expectOk(await h.exchange(appId, await h.mint({ sub: 'env:dev' })))
    },
  },
  {
    id: 28,
    name: 'exp = now−1 → AADSTS700024 valid from 1970',
    async run(h) {
      const { appId } = await h.app()
      expectAad(
        await h.exchange(appId, await h.mint({ iat: now(h) - 60, exp: now(h) - 1 })),
        401,
        'invalid_client',
        700024,
        /^Client assertion is not within its valid time range\. Current time: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z, assertion valid from 1970-01-01T00:00:00\.0000000Z, expiry time of assertion .*certificate-credentials \.$/u,
      )
    },
  },
  {
    id: 29,
    name: 'nbf = now+600 → AADSTS700024 valid from nbf',
    async run(h) {
      const { appId } = await h.app()
      const nbf = now(h) + 600
      expectAad(
        await h.exchange(appId, await h.mint({ nbf, exp: nbf + 600 })),
        401,
        'invalid_client',
        700024,
        new RegExp(
          `assertion valid from ${new Date(nbf * 1000).toISOString().slice(0, 19)}\\.0000000Z`,
          'u',
        ),
      )
    },
  },
  {
    id: 30,
    name: 'no iat → 400 AADSTS70023 issued at 0',
    async run(h) {
      const { appId } = await h.app()
      const exp = now(h) + 600
      expectAad(
        await h.exchange(appId, await h.mint({ iat: undefined, exp })),
        400,
        'invalid_request',
        70023,
        `External OIDC Provider token must have a lifetime of less than or equal to 1.01:00:00. Token issued at 0. Token expires on ${exp}.`,
      )
    },
  },
  {
    id: 31,
    name: 'exp−iat = 25 h → OK; 25 h + 1 s → AADSTS70023',
    async run(h) {
      const { appId } = await h.app()
      expectOk(await h.exchange(appId, await h.mint({ iat: now(h), exp: now(h) + 90000 })))
      expectAad(
        await h.exchange(appId, await h.mint({ iat: now(h), exp: now(h) + 90001 })),
        400,
        'invalid_request',
        70023,
      )
    },
  },
  {
    id: 32,
    name: 'env0-shaped: 24 h, slash-terminated iss, aud https://prod.env0.com → OK',
    async run(h) {
      const { appId } = await h.app({
        issuer: `${h.issuer.url}/`,
        subject: 'auth0|abc',
        audiences: ['https://prod.env0.com'],
      })
      expectOk(
        await h.exchange(
          appId,
          await h.mint({
            iss: `${h.issuer.url}/`,
            sub: 'auth0|abc',
            aud: 'https://prod.env0.com',
            exp: now(h) + 86400,
          }),
        ),
      )
    },
  },
  {
    id: 33,
    name: 'kid k9 → AADSTS7000272 naming the issuer',
    async run(h) {
      const { appId } = await h.app()
      expectAad(
        await h.exchange(appId, await h.mint({}, { kid: 'k9' })),
        401,
        'invalid_client',
        7000272,
        new RegExp(
          `^The certificate with identifier k9 used to sign the federated credential could not be found in the metadata of identity provider ${h.issuer.url.replace(/\./gu, '\\.')}\\.`,
          'u',
        ),
      )
    },
  },
  {
    id: 34,
    name: 'rotation: a new key after a first exchange → OK (refetch on unknown kid)',
    async run(h) {
      const { appId } = await h.app()
      expectOk(await h.exchange(appId, await h.mint()))
      h.clock.advance(2000)
      await h.issuer.rotate()
      expectOk(await h.exchange(appId, await h.mint()))
    },
  },
  {
    id: 37,
    name: 'flipped signature, alg none, HS256 → invalid_client',
    async run(h) {
      const { appId } = await h.app()
      const good = await h.mint()
      const [hd, pl, sig = ''] = good.split('.')
      const flipped = `${hd}.${pl}.${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`
      expectAad(await h.exchange(appId, flipped), 401, 'invalid_client', 50013)
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
      expectAad(
        await h.exchange(appId, `${b64({ alg: 'none', kid: 'k1' })}.${pl}.`),
        401,
        'invalid_client',
        50013,
      )
      expectAad(
        await h.exchange(appId, `${b64({ alg: 'HS256', kid: 'k1' })}.${pl}.${sig}`),
        401,
        'invalid_client',
        50013,
      )
    },
  },
  {
    id: 38,
    name: 'ES256 → accepted by default',
    async run(h) {
      const { appId } = await h.app()
      h.clock.advance(2000) // past the refetch interval of an earlier unknown kid
      expectOk(await h.exchange(appId, await h.mint({}, { alg: 'ES256' })))
    },
  },
  {
    id: 39,
    name: 'client_assertion=abc → 400 AADSTS50027',
    async run(h) {
      const { appId } = await h.app()
      expectAad(await h.exchange(appId, 'abc'), 400, 'invalid_request', 50027)
    },
  },
  {
    id: 40,
    name: 'a token issued by the emulator itself → AADSTS700222',
    async run(h) {
      const { appId } = await h.app()
      const ok = expectOk(await h.exchange(appId, await h.mint()))
      expectAad(await h.exchange(appId, String(ok['access_token'])), 400, 'invalid_request', 700222)
    },
  },
  {
    id: 43,
    name: 'deleting a FIC makes the next exchange fail',
    async run(h) {
      const { id, appId } = await h.app()
      expectOk(await h.exchange(appId, await h.mint()))
      expect((await h.admin('DELETE', `${ficPath(id)}(name='prod')`)).status).toBe(204)
      expectAad(await h.exchange(appId, await h.mint()), 401, 'invalid_client', 700211)
    },
  },
  {
    id: 45,
    name: 'UAMI FIC with client_id = UAMI clientId → OK, oid = principal id',
    async run(h) {
      const mi = await h.admin('PUT', uami('mi45') + V, { location: 'westeurope' })
      await h.admin('PUT', `${uami('mi45')}/federatedIdentityCredentials/fic1${V}`, {
        properties: { issuer: h.issuer.url, subject: 'env:prod', audiences: [DEFAULT_AUDIENCE] },
      })
      const ok = expectOk(await h.exchange(String(mi.json.properties.clientId), await h.mint()))
      expect(claimsOf(String(ok['access_token']))['oid']).toBe(mi.json.properties.principalId)
    },
  },
  {
    id: 46,
    name: 'trailing newline in client_assertion → accepted',
    async run(h) {
      const { appId } = await h.app()
      expectOk(await h.exchange(appId, `${await h.mint()}\n`))
    },
  },
  {
    id: 63,
    name: 'Spacelift-shaped audience acct.app.spacelift.io → OK',
    async run(h) {
      const { appId } = await h.app({ audiences: ['acct.app.spacelift.io'] })
      expectOk(await h.exchange(appId, await h.mint({ aud: 'acct.app.spacelift.io' })))
    },
  },
  {
    id: 64,
    name: 'HCP-shaped: FIC for run_phase:plan; apply token → AADSTS700213',
    async run(h) {
      const s = 'organization:o:project:p:workspace:w:run_phase:'
      const { appId } = await h.app({ subject: `${s}plan` })
      expectAad(
        await h.exchange(appId, await h.mint({ sub: `${s}apply` })),
        401,
        'invalid_client',
        700213,
        sub(`${s}apply`),
      )
    },
  },
  {
    id: 'explain',
    name: 'the decision names the closest FIC and the differing field',
    async run(h) {
      const { appId } = await h.app()
      await h.exchange(appId, await h.mint({ sub: 'ENV:prod' }))
      const r = await h.call('GET', '/_keyless/decisions?cloud=azure')
      const d = r.json.decisions[0]
      expect(d).toMatchObject({
        cloud: 'azure',
        decision: 'denied',
        errorCode: 'AADSTS7002138',
        fic: 'prod',
        clientId: appId,
      })
      expect(d.explanation).toContain("closest federated credential: 'prod'")
      expect(d.explanation).toContain(
        'subject differs: credential "env:prod", assertion "ENV:prod" (they differ only in case',
      )
    },
  },
  {
    id: 42,
    name: 'no 5xx for bad input: JSON body, empty body, broken path, huge body',
    async run(h) {
      const json = await h.call('POST', `/${TENANT}/oauth2/v2.0/token`, {
        body: '{"grant_type":"client_credentials"}',
        headers: { 'content-type': 'application/json' },
      })
      expectAad(json, 400, 'invalid_request', 900144)
      expect((await h.call('GET', `/${TENANT}/oauth2/v2.0/token`)).status).toBe(400)
      expect((await h.call('GET', '/%E0%A4%A')).status).toBeLessThan(500)
      const big = await h.call('POST', `/${TENANT}/oauth2/v2.0/token`, {
        body: 'a='.padEnd(1024 * 1024 + 10, 'x'),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      expect(big.status).toBe(413)
    },
  },
]

describe('Entra emulator must-pass cases', () => {
  let h: AzureHarness
  beforeAll(async () => {
    h = await startAzureHarness()
  })
  afterAll(async () => {
    await h.close()
  })
  it.each([...management, ...exchange].map((c) => [`${c.id}: ${c.name}`, c] as const))(
    '%s',
    async (_n, c) => {
      await c.run(h)
    },
  )
})
