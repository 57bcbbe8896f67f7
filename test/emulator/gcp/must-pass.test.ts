/**
 * The Google emulator's must-pass cases (docs/gcp.md, "Must-pass cases"), as a table over real
 * http. Setup (harness.ts): project number N, pool kl-pool, provider kl-oidc with K = the
 * loopback test issuer, the mapping google.subject = assertion.sub, attribute.env =
 * assertion.environment, no allowed audiences; SA deploy@proj bound for attribute.env/prod;
 * J0 = sub env:prod, environment prod, aud //iam.googleapis.com/PN, iat now, exp +600 s.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestIssuer } from '../../support/test-issuer.js'
import {
  ACCESS,
  AUD,
  CLOUD_PLATFORM,
  GRANT,
  JWT,
  MAPPING,
  N,
  PN,
  POOL_NAME,
  PROD_SET,
  SA,
  startGcpHarness,
  type GcpHarness,
  type HttpReply,
} from './harness.js'

interface Case {
  readonly id: number | string
  readonly name: string
  run(h: GcpHarness): Promise<void>
}

const TARGET =
  'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.'
const AUDIENCE_FORMAT =
  'Invalid value for "audience". This value should be the full resource name of the Identity Provider. See https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token for the list of possible formats.'
const SUBJECT_127 =
  'The size of mapped attribute google.subject exceeds the 127 bytes limit. Either modify your attribute mapping or the incoming assertion to produce a mapped attribute that is less than 127 bytes.'
const CONDITION = 'The given credential is rejected by the attribute condition.'
const UNAUTHENTICATED =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.'
const DENIED =
  "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist)."
const POOLS = `/v1/projects/${N}/locations/global/workloadIdentityPools`

function expectSts(r: HttpReply, error: string, description?: string | RegExp): void {
  expect({ status: r.status, error: r.json?.error }, r.text).toEqual({ status: 400, error })
  expect(Object.keys(r.json as object).sort()).toEqual(['error', 'error_description'])
  if (typeof description === 'string') expect(r.json.error_description).toBe(description)
  else if (description !== undefined) expect(r.json.error_description).toMatch(description)
}

function expectOk(r: HttpReply): Record<string, unknown> {
  expect(r.status, r.text).toBe(200)
  return r.json as Record<string, unknown>
}

function expectInvalidArgument(r: HttpReply, message?: string): void {
  expect(
    { status: r.status, code: r.json?.error?.code, status2: r.json?.error?.status },
    r.text,
  ).toEqual({
    status: 400,
    code: 400,
    status2: 'INVALID_ARGUMENT',
  })
  if (message !== undefined) expect(r.json.error.message).toBe(message)
}

function expectDenied(r: HttpReply): void {
  expect(r.status, r.text).toBe(403)
  expect(r.json).toEqual({
    error: {
      code: 403,
      message: DENIED,
      status: 'PERMISSION_DENIED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'IAM_PERMISSION_DENIED',
          domain: 'iam.googleapis.com',
          metadata: { permission: 'iam.serviceAccounts.getAccessToken' },
        },
      ],
    },
  })
}

const now = (h: GcpHarness): number => Math.floor(h.clock.now().getTime() / 1000)
const providerPath = (id: string, pool = 'kl-pool'): string =>
  `${POOLS}/${pool}/providers?workloadIdentityPoolProviderId=${id}`
const create = (h: GcpHarness, id: string, body: Record<string, unknown>): Promise<HttpReply> =>
  h.admin('POST', providerPath(id), {
    attributeMapping: MAPPING,
    oidc: { issuerUri: h.issuer.url },
    ...body,
  })
/** A provider `id` whose exchange of `claims` is expected to pass (or fail with `error`). */
async function decide(
  h: GcpHarness,
  id: string,
  body: Record<string, unknown>,
  claims: Record<string, unknown>,
): Promise<HttpReply> {
  const aud = await h.provider(id, body)
  return h.exchange(await h.mint({ aud, ...claims }), { audience: aud })
}
async function lastDecision(h: GcpHarness): Promise<Record<string, unknown>> {
  const r = await h.call('GET', '/_keyless/decisions?cloud=gcp')
  return r.json.decisions[0]
}

const providers: Case[] = [
  {
    id: 1,
    name: 'provider without a google.subject mapping → 400',
    async run(h) {
      expectInvalidArgument(
        await create(h, 'c1-none', {
          attributeMapping: { 'attribute.env': 'assertion.environment' },
        }),
      )
      expectInvalidArgument(await create(h, 'c1-empty', { attributeMapping: {} }))
    },
  },
  {
    id: 2,
    name: 'key attribute.Env, a 101-char key, or 51 custom attributes → 400; 100 chars and 50 → 200',
    async run(h) {
      const many = (n: number): Record<string, string> => {
        const m: Record<string, string> = { 'google.subject': 'assertion.sub' }
        for (let i = 0; i < n; i += 1) m[`attribute.a${i}`] = `'v${i}'`
        return m
      }
      expectInvalidArgument(
        await create(h, 'c2-case', {
          attributeMapping: { ...MAPPING, 'attribute.Env': 'assertion.sub' },
        }),
      )
      expectInvalidArgument(
        await create(h, 'c2-long', {
          attributeMapping: { ...MAPPING, [`attribute.${'a'.repeat(101)}`]: 'assertion.sub' },
        }),
      )
      expectInvalidArgument(await create(h, 'c2-many', { attributeMapping: many(51) }))
      expect(
        (
          await create(h, 'c2-ok100', {
            attributeMapping: { ...MAPPING, [`attribute.${'a'.repeat(100)}`]: 'assertion.sub' },
          })
        ).status,
      ).toBe(200)
      expect((await create(h, 'c2-ok50', { attributeMapping: many(50) })).status).toBe(200)
    },
  },
  {
    id: 3,
    name: 'mapping of 2049 chars / condition of 4097 chars → 400; 2048 / 4096 → 200',
    async run(h) {
      const literal = (n: number): string => `'${'a'.repeat(n - 2)}'`
      const condition = (n: number): string =>
        `assertion.sub == ${literal(n - 'assertion.sub == '.length)}`
      expectInvalidArgument(
        await create(h, 'c3-map', {
          attributeMapping: { ...MAPPING, 'attribute.x': literal(2049) },
        }),
      )
      expectInvalidArgument(await create(h, 'c3-cond', { attributeCondition: condition(4097) }))
      expect(
        (
          await create(h, 'c3-map-ok', {
            attributeMapping: { ...MAPPING, 'attribute.x': literal(2048) },
          })
        ).status,
      ).toBe(200)
      expect((await create(h, 'c3-cond-ok', { attributeCondition: condition(4096) })).status).toBe(
        200,
      )
    },
  },
  {
    id: 4,
    name: 'non-boolean (assertion.sub) or unparsable condition → 400 at create, and at patch',
    async run(h) {
      expectInvalidArgument(await create(h, 'c4-nonbool', { attributeCondition: 'assertion.sub' }))
      expectInvalidArgument(
        await create(h, 'c4-parse', { attributeCondition: "assertion.sub == 'x" }),
      )
      expectInvalidArgument(await create(h, 'c4-var', { attributeCondition: "claims.sub == 'x'" }))
      expectInvalidArgument(
        await create(h, 'c4-mapping', {
          attributeMapping: { 'google.subject': 'assertion.sub +' },
        }),
      )
      await h.provider('c4-patch')
      expectInvalidArgument(
        await h.admin(
          'PATCH',
          `${POOLS}/kl-pool/providers/c4-patch?updateMask=attributeCondition`,
          { attributeCondition: 'assertion.sub' },
        ),
      )
    },
  },
  {
    id: 5,
    name: 'issuerUri http://… (not loopback) → 400',
    async run(h) {
      expectInvalidArgument(
        await create(h, 'c5-http', { oidc: { issuerUri: 'http://keyless.test' } }),
      )
      expect(
        (await create(h, 'c5-https', { oidc: { issuerUri: 'https://keyless.test' } })).status,
      ).toBe(200)
    },
  },
  {
    id: 6,
    name: '11 allowed audiences or one of 257 chars → 400; 10 of 256 → 200',
    async run(h) {
      const auds = (n: number, len: number): string[] =>
        Array.from({ length: n }, (_, i) => `${i}`.padEnd(len, 'x'))
      expectInvalidArgument(
        await create(h, 'c6-many', {
          oidc: { issuerUri: h.issuer.url, allowedAudiences: auds(11, 10) },
        }),
      )
      expectInvalidArgument(
        await create(h, 'c6-long', {
          oidc: { issuerUri: h.issuer.url, allowedAudiences: auds(1, 257) },
        }),
      )
      expect(
        (
          await create(h, 'c6-ok', {
            oidc: { issuerUri: h.issuer.url, allowedAudiences: auds(10, 256) },
          })
        ).status,
      ).toBe(200)
    },
  },
  {
    id: 7,
    name: 'jwksJson with x5c → 400 Input JWK is not in a valid json format',
    async run(h) {
      const jwk = { ...h.issuer.jwks().keys[0], x5c: ['MIIB'] }
      expectInvalidArgument(
        await create(h, 'c7-x5c', {
          oidc: { issuerUri: h.issuer.url, jwksJson: JSON.stringify({ keys: [jwk] }) },
        }),
        'Input JWK is not in a valid json format',
      )
      expectInvalidArgument(
        await create(h, 'c7-json', { oidc: { issuerUri: h.issuer.url, jwksJson: '{not json' } }),
        'Input JWK is not in a valid json format',
      )
    },
  },
]

const exchanges: Case[] = [
  {
    id: 8,
    name: 'form snake_case exchange of J0 → 200 with the 4 fields, integer expires_in',
    async run(h) {
      const ok = expectOk(await h.exchange(await h.mint()))
      expect(Object.keys(ok).sort()).toEqual([
        'access_token',
        'expires_in',
        'issued_token_type',
        'token_type',
      ])
      expect(ok).toMatchObject({
        issued_token_type: ACCESS,
        token_type: 'Bearer',
        expires_in: 3599,
      })
      expect(Number.isInteger(ok['expires_in'])).toBe(true)
      expect(String(ok['access_token']).length).toBeLessThanOrEqual(12288)
    },
  },
  {
    id: 9,
    name: 'the same as JSON camelCase → identical 200',
    async run(h) {
      const r = await h.call('POST', '/v1/token', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grantType: GRANT,
          audience: AUD,
          scope: CLOUD_PLATFORM,
          requestedTokenType: ACCESS,
          subjectToken: await h.mint(),
          subjectTokenType: JWT,
        }),
      })
      const ok = expectOk(r)
      expect(Object.keys(ok).sort()).toEqual([
        'access_token',
        'expires_in',
        'issued_token_type',
        'token_type',
      ])
      expect(ok).toMatchObject({
        issued_token_type: ACCESS,
        token_type: 'Bearer',
        expires_in: 3599,
      })
    },
  },
  {
    id: 10,
    name: 'subject_token_type …:id_token → 200; …:saml2 with a JWT → 400',
    async run(h) {
      expectOk(
        await h.exchange(await h.mint(), {
          subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
        }),
      )
      const r = await h.exchange(await h.mint(), {
        subject_token_type: 'urn:ietf:params:oauth:token-type:saml2',
      })
      expect(r.status).toBe(400)
      expect(r.json.error).toBe('invalid_request')
    },
  },
  {
    id: 11,
    name: 'wrong grant_type or missing requested_token_type → 400',
    async run(h) {
      expectSts(
        await h.exchange(await h.mint(), { grant_type: 'client_credentials' }),
        'invalid_request',
      )
      expectSts(
        await h.exchange(await h.mint(), { requested_token_type: undefined }),
        'invalid_request',
      )
      expectSts(await h.exchange(await h.mint(), { subject_token_type: 'jwt' }), 'invalid_request')
      expectSts(await h.exchange(await h.mint(), { scope: undefined }), 'invalid_request')
    },
  },
  {
    id: 12,
    name: "audience = the pool name → invalid_request with Google's text",
    async run(h) {
      expectSts(
        await h.exchange(await h.mint(), { audience: `//iam.googleapis.com/${POOL_NAME}` }),
        'invalid_request',
        AUDIENCE_FORMAT,
      )
      expectSts(
        await h.exchange(await h.mint(), { audience: 'https://prod.env0.com' }),
        'invalid_request',
        AUDIENCE_FORMAT,
      )
    },
  },
  {
    id: 13,
    name: 'unknown or disabled provider, disabled pool → invalid_target',
    async run(h) {
      expectSts(
        await h.exchange(await h.mint(), { audience: `${AUD}-nope` }),
        'invalid_target',
        TARGET,
      )
      const off = await h.provider('c13-off', { disabled: true })
      expectSts(
        await h.exchange(await h.mint({ aud: off }), { audience: off }),
        'invalid_target',
        TARGET,
      )
      expect(
        (await h.admin('POST', `${POOLS}?workloadIdentityPoolId=c13-pool`, { disabled: true }))
          .status,
      ).toBe(200)
      const inOff = await h.provider('c13-prov', {}, 'c13-pool')
      expectSts(
        await h.exchange(await h.mint({ aud: inOff }), { audience: inOff }),
        'invalid_target',
        TARGET,
      )
    },
  },
  {
    id: 14,
    name: 'audience with the project id instead of the number → rejected',
    async run(h) {
      expectSts(
        await h.exchange(await h.mint(), { audience: AUD.replace(N, 'proj') }),
        'invalid_request',
        AUDIENCE_FORMAT,
      )
    },
  },
  {
    id: 15,
    name: 'an extra Authorization header is ignored → 200',
    async run(h) {
      const form = new URLSearchParams({
        grant_type: GRANT,
        audience: AUD,
        scope: CLOUD_PLATFORM,
        requested_token_type: ACCESS,
        subject_token: await h.mint(),
        subject_token_type: JWT,
      })
      expectOk(
        await h.call('POST', '/v1/token', {
          body: form.toString(),
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: 'Bearer whatever',
          },
        }),
      )
    },
  },
  {
    id: 16,
    name: 'token aud https://iam.googleapis.com/PN with an empty allow-list → 200',
    async run(h) {
      expectOk(await h.exchange(await h.mint({ aud: `https://iam.googleapis.com/${PN}` })))
    },
  },
  {
    id: 17,
    name: 'aud https://prod.env0.com with an empty allow-list → invalid_grant audience mismatch',
    async run(h) {
      expectSts(
        await h.exchange(await h.mint({ aud: 'https://prod.env0.com' })),
        'invalid_grant',
        `The audience in ID Token [https://prod.env0.com] does not match the expected audience https://iam.googleapis.com/${PN}.`,
      )
    },
  },
  {
    id: 18,
    name: 'allow-list ["https://prod.env0.com"]: that aud → 200; the canonical name → now rejected',
    async run(h) {
      const aud = await h.provider('c18-env0', {
        oidc: { issuerUri: h.issuer.url, allowedAudiences: ['https://prod.env0.com'] },
      })
      expectOk(await h.exchange(await h.mint({ aud: 'https://prod.env0.com' }), { audience: aud }))
      expectSts(
        await h.exchange(await h.mint({ aud }), { audience: aud }),
        'invalid_grant',
        `The audience in ID Token [${aud}] does not match the expected audience https://prod.env0.com.`,
      )
    },
  },
  {
    id: 19,
    name: 'aud array containing an allowed value → 200',
    async run(h) {
      expectOk(await h.exchange(await h.mint({ aud: ['https://other.example', AUD] })))
      expectSts(await h.exchange(await h.mint({ aud: ['https://other.example'] })), 'invalid_grant')
    },
  },
  {
    id: 20,
    name: 'iss https://other.test → the issuer text',
    async run(h) {
      expectSts(
        await h.exchange(await h.mint({ iss: 'https://other.test' })),
        'invalid_grant',
        `The issuer in ID Token https://other.test does not match the expected ones: ${h.issuer.url}/`,
      )
    },
  },
  {
    id: 21,
    name: 'issuerUri with a trailing /, iss without → 200',
    async run(h) {
      const aud = await h.provider('c21-slash', { oidc: { issuerUri: `${h.issuer.url}/` } })
      expectOk(await h.exchange(await h.mint({ aud }), { audience: aud }))
    },
  },
  {
    id: 22,
    name: 'discovery 404, JWKS 500 → invalid_grant "Error connecting to the given credential\'s issuer."',
    async run(h) {
      for (const behavior of [{ discoveryStatus: 404 }, { jwksStatus: 500 }]) {
        const other = await startTestIssuer({ clock: h.clock, audience: AUD })
        Object.assign(other.behavior, behavior)
        try {
          const aud = await h.provider(`c22-${Object.keys(behavior)[0]?.slice(0, 4) ?? 'x'}`, {
            oidc: { issuerUri: other.url },
          })
          expectSts(
            await h.exchange(await other.mint({ sub: 'env:prod', aud }), { audience: aud }),
            'invalid_grant',
            "Error connecting to the given credential's issuer.",
          )
        } finally {
          await other.close()
        }
      }
    },
  },
  {
    id: '22b',
    name: 'discovery without jwks_uri, or not JSON → "Error connecting to the given credential\'s issuer."',
    async run(h) {
      for (const [i, body] of ['{"issuer":"x"}', 'not json'].entries()) {
        const server = createServer((_req, res) =>
          res.writeHead(200, { 'content-type': 'application/json' }).end(body),
        )
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
        try {
          const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
          const aud = await h.provider(`c22b-${i}`, { oidc: { issuerUri: url } })
          const token = await h.mint({ aud, iss: url })
          expectSts(
            await h.exchange(token, { audience: aud }),
            'invalid_grant',
            "Error connecting to the given credential's issuer.",
          )
        } finally {
          server.close()
        }
      }
    },
  },
  {
    id: 23,
    name: 'provider with jwksJson, discovery unreachable → 200, nothing fetched',
    async run(h) {
      const other = await startTestIssuer({ clock: h.clock, audience: AUD })
      other.behavior.discoveryStatus = 404
      try {
        const aud = await h.provider('c23-jwks', {
          oidc: { issuerUri: other.url, jwksJson: JSON.stringify(other.jwks()) },
        })
        expectOk(
          await h.exchange(await other.mint({ sub: 'env:prod', environment: 'prod', aud }), {
            audience: aud,
          }),
        )
        expect(other.fetches).toEqual({ discovery: 0, jwks: 0 })
      } finally {
        await other.close()
      }
    },
  },
  {
    id: 24,
    name: 'no kid header → invalid_grant',
    async run(h) {
      expectSts(await h.exchange(await h.mint({}, { noKid: true })), 'invalid_grant')
    },
  },
  {
    id: 25,
    name: 'alg RS384 / PS256 / HS256 / none → invalid_grant; ES256 with an EC key → 200',
    async run(h) {
      for (const alg of ['RS384', 'PS256'] as const)
        expectSts(await h.exchange(await h.mint({}, { alg })), 'invalid_grant')
      const [head = '', body = ''] = (await h.mint()).split('.')
      const forged = (header: Record<string, unknown>, sig: string): string =>
        `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${body}.${sig}`
      expectSts(
        await h.exchange(forged({ alg: 'HS256', kid: 'k1' }, 'c2lnbmF0dXJl')),
        'invalid_grant',
      )
      expectSts(await h.exchange(forged({ alg: 'none', kid: 'k1' }, '')), 'invalid_grant')
      expect(head).not.toBe('')
      expectOk(await h.exchange(await h.mint({}, { alg: 'ES256' })))
    },
  },
  {
    id: 26,
    name: 'unknown kid → invalid_grant; after a key rotation the new kid is refetched → 200',
    async run(h) {
      expectSts(await h.exchange(await h.mint({}, { kid: 'k9' })), 'invalid_grant')
      h.clock.advance(2000)
      await h.issuer.rotate()
      expectOk(await h.exchange(await h.mint()))
    },
  },
  {
    id: 27,
    name: 'bit-flipped signature → invalid_grant',
    async run(h) {
      const [a, b, c = ''] = (await h.mint()).split('.')
      const flipped = `${c.slice(0, 10)}${c[10] === 'A' ? 'B' : 'A'}${c.slice(11)}`
      expectSts(
        await h.exchange(`${a}.${b}.${flipped}`),
        'invalid_grant',
        'Unable to verify the ID Token signature.',
      )
      expectSts(await h.exchange(await h.mint({}, { wrongKey: true })), 'invalid_grant')
    },
  },
  {
    id: 28,
    name: 'exp = now−1 → invalid_grant',
    async run(h) {
      expectSts(await h.exchange(await h.mint({ exp: now(h) - 1 })), 'invalid_grant')
    },
  },
  {
    id: 29,
    name: 'iat = now−24 h−1 s → invalid_grant (stale); iat = now−23 h → 200',
    async run(h) {
      const old = now(h) - 24 * 3600 - 1
      expectSts(
        await h.exchange(await h.mint({ iat: old, exp: now(h) + 600 })),
        'invalid_grant',
        `ID Token issued at ${old} is stale to sign-in.`,
      )
      expectOk(await h.exchange(await h.mint({ iat: now(h) - 23 * 3600, exp: now(h) + 600 })))
    },
  },
  {
    id: 30,
    name: 'iat in the future → invalid_grant',
    async run(h) {
      expectSts(
        await h.exchange(await h.mint({ iat: now(h) + 600, exp: now(h) + 1200 })),
        'invalid_grant',
      )
    },
  },
  {
    id: 31,
    name: 'subject_token=abc → 400',
    async run(h) {
      expectSts(await h.exchange('abc'), 'invalid_grant', 'Unable to parse the ID Token.')
    },
  },
  {
    id: 32,
    name: '128-byte sub → the 127-byte error; 127 bytes → 200; 64 two-byte chars → rejected (bytes, not characters)',
    async run(h) {
      expectSts(
        await h.exchange(await h.mint({ sub: 'a'.repeat(128) })),
        'invalid_request',
        SUBJECT_127,
      )
      expectOk(await h.exchange(await h.mint({ sub: 'a'.repeat(127) })))
      expectSts(
        await h.exchange(await h.mint({ sub: 'é'.repeat(64) })),
        'invalid_request',
        SUBJECT_127,
      )
    },
  },
  {
    id: 33,
    name: "google.subject = assertion.org + '/' + assertion.env → the concatenated subject",
    async run(h) {
      expectOk(
        await decide(
          h,
          'c33-concat',
          { attributeMapping: { 'google.subject': "assertion.org + '/' + assertion.env" } },
          { org: 'acme', env: 'prod' },
        ),
      )
      expect((await lastDecision(h))['principal']).toBe(
        `principal://iam.googleapis.com/${POOL_NAME}/subject/acme/prod`,
      )
    },
  },
  {
    id: 34,
    name: "a mapping on a missing claim → rejected; has(assertion.nope) ? assertion.nope : 'x' → x",
    async run(h) {
      expectSts(
        await decide(
          h,
          'c34-missing',
          { attributeMapping: { ...MAPPING, 'attribute.nope': 'assertion.nope' } },
          {},
        ),
        'invalid_grant',
      )
      expectOk(
        await decide(
          h,
          'c34-has',
          {
            attributeMapping: {
              ...MAPPING,
              'attribute.nope': "has(assertion.nope) ? assertion.nope : 'x'",
            },
            attributeCondition: "attribute.nope == 'x'",
          },
          {},
        ),
      )
      expect((await lastDecision(h))['explanation']).toContain(
        'mapping attribute.nope = has(assertion.nope) ? assertion.nope : \'x\' → "x"',
      )
    },
  },
  {
    id: 35,
    name: 'mapped attributes totalling more than 8 KB → rejected',
    async run(h) {
      const body = { attributeMapping: { ...MAPPING, 'attribute.big': 'assertion.big' } }
      expectSts(await decide(h, 'c35-big', body, { big: 'a'.repeat(8200) }), 'invalid_request')
      expectOk(await decide(h, 'c35-small', body, { big: 'a'.repeat(7000) }))
    },
  },
  {
    id: 36,
    name: "condition assertion.environment == 'prod': dev → unauthorized_client with the condition text",
    async run(h) {
      const aud = await h.provider('c36-cond', {
        attributeCondition: "assertion.environment == 'prod'",
      })
      expectSts(
        await h.exchange(await h.mint({ aud, environment: 'dev' }), { audience: aud }),
        'unauthorized_client',
        CONDITION,
      )
      expect((await lastDecision(h))['explanation']).toContain(
        "condition assertion.environment == 'prod': the condition is false",
      )
      expectOk(await h.exchange(await h.mint({ aud }), { audience: aud }))
    },
  },
  {
    id: 37,
    name: "attribute.env in ['prod','staging'] → 200; 'admins' in google.groups (a list mapping) → 200",
    async run(h) {
      expectOk(
        await decide(
          h,
          'c37-in',
          { attributeCondition: "attribute.env in ['prod', 'staging']" },
          {},
        ),
      )
      expectOk(
        await decide(
          h,
          'c37-groups',
          {
            attributeMapping: { ...MAPPING, 'google.groups': 'assertion.groups' },
            attributeCondition: "'admins' in google.groups",
          },
          { groups: ['dev', 'admins'] },
        ),
      )
      expectSts(
        await decide(
          h,
          'c37-groups-no',
          {
            attributeMapping: { ...MAPPING, 'google.groups': 'assertion.groups' },
            attributeCondition: "'admins' in google.groups",
          },
          { groups: ['dev'] },
        ),
        'unauthorized_client',
        CONDITION,
      )
    },
  },
  {
    id: 38,
    name: 'startsWith / endsWith / contains / matches / size / && / || / ! evaluate per the CEL spec',
    async run(h) {
      const rows: Array<[string, boolean]> = [
        ["assertion.sub.startsWith('env:')", true],
        ["assertion.sub.startsWith('prod')", false],
        ["assertion.sub.endsWith(':prod')", true],
        ["assertion.sub.contains('v:p')", true],
        ["assertion.sub.contains('x')", false],
        ["assertion.sub.matches('^env:[a-z]+$')", true],
        ["assertion.sub.matches('^env:[0-9]+$')", false],
        ['size(assertion.sub) == 8', true],
        ["assertion.environment == 'prod' && assertion.sub == 'x'", false],
        ["assertion.sub == 'x' || assertion.environment == 'prod'", true],
        ["!(assertion.environment == 'dev')", true],
      ]
      for (const [i, [condition, accepted]] of rows.entries()) {
        const r = await decide(h, `c38-row${i}`, { attributeCondition: condition }, {})
        expect({ condition, status: r.status, error: r.json.error }).toEqual({
          condition,
          status: accepted ? 200 : 400,
          error: accepted ? undefined : 'unauthorized_client',
        })
      }
    },
  },
  {
    id: 39,
    name: "'arn:aws:sts::1:assumed-role/R/s'.extract('assumed-role/{role}/') → R (and Google's AWS default mapping)",
    async run(h) {
      expectOk(
        await decide(
          h,
          'c39-lit',
          {
            attributeCondition:
              "'arn:aws:sts::1:assumed-role/R/s'.extract('assumed-role/{role}/') == 'R'",
          },
          {},
        ),
      )
      const aws =
        "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') + 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn"
      expectOk(
        await decide(
          h,
          'c39-aws',
          { attributeMapping: { 'google.subject': aws } },
          { arn: 'arn:aws:sts::1:assumed-role/R/s' },
        ),
      )
      expect((await lastDecision(h))['principal']).toBe(
        `principal://iam.googleapis.com/${POOL_NAME}/subject/arn:aws:sts::1:assumed-role/R`,
      )
    },
  },
  {
    id: 40,
    name: 'a condition runtime error → condition failure',
    async run(h) {
      expectSts(
        await decide(h, 'c40-err', { attributeCondition: "assertion.nope == 'x'" }, {}),
        'unauthorized_client',
        CONDITION,
      )
    },
  },
  {
    id: 41,
    name: "case-sensitive values: assertion.owner == 'Org' with owner org → rejected",
    async run(h) {
      expectSts(
        await decide(
          h,
          'c41-case',
          { attributeCondition: "assertion.owner == 'Org'" },
          { owner: 'org' },
        ),
        'unauthorized_client',
        CONDITION,
      )
      expectOk(
        await decide(
          h,
          'c41-case2',
          { attributeCondition: "assertion.owner == 'Org'" },
          { owner: 'Org' },
        ),
      )
    },
  },
  {
    id: 42,
    name: 'options={"userProject":"x"} accepted and ignored',
    async run(h) {
      expectOk(await h.exchange(await h.mint(), { options: JSON.stringify({ userProject: 'x' }) }))
      expectSts(await h.exchange(await h.mint(), { options: 'not json' }), 'invalid_request')
    },
  },
  {
    id: 43,
    name: 'expires_in is not capped at the subject exp by default',
    async run(h) {
      expect(expectOk(await h.exchange(await h.mint({ exp: now(h) + 60 })))['expires_in']).toBe(
        3599,
      )
    },
  },
  {
    id: 44,
    name: 'errors are JSON {error, error_description}; never 5xx for client faults',
    async run(h) {
      const bad: Array<Promise<HttpReply>> = [
        h.call('POST', '/v1/token', {
          body: '{"grantType":',
          headers: { 'content-type': 'application/json' },
        }),
        h.call('POST', '/v1/token', {
          body: '[]',
          headers: { 'content-type': 'application/json' },
        }),
        h.call('POST', '/v1/token', {
          body: '',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        h.call('POST', '/v1/token', { body: 'a=%zz', headers: { 'content-type': 'text/plain' } }),
        h.call('GET', '/v1/token'),
        h.exchange(`${'a'.repeat(20)}.${'b'.repeat(20)}.${'c'.repeat(20)}`),
        h.exchange(
          `${Buffer.from('{"alg":"RS256","kid":"k1"}').toString('base64url')}.${Buffer.from('[1]').toString('base64url')}.c2ln`,
        ),
      ]
      for (const r of await Promise.all(bad)) {
        expect(r.status, r.text).toBe(400)
        expect(Object.keys(r.json as object).sort()).toEqual(['error', 'error_description'])
      }
      const big = await h.call('POST', '/v1/token', {
        body: 'a='.padEnd(5 * 1024 * 1024, 'x'),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      expect(big.status).toBe(413)
      expect(Object.keys(big.json as object).sort()).toEqual(['error', 'error_description'])
      expect((await h.call('GET', '/v1/%E0%A4%A')).status).toBeLessThan(500)
    },
  },
]

const impersonation: Case[] = [
  {
    id: 45,
    name: 'generateAccessToken {scope:[cloud-platform], lifetime:"3600s"} → 200, expireTime with whole seconds and Z',
    async run(h) {
      const r = await h.generate(await h.federated())
      const ok = expectOk(r)
      expect(Object.keys(ok).sort()).toEqual(['accessToken', 'expireTime'])
      expect(ok['expireTime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/u)
      expect(Date.parse(String(ok['expireTime'])) / 1000).toBe(now(h) + 3600)
    },
  },
  {
    id: 46,
    name: 'a body with "delegates": null → 200',
    async run(h) {
      expectOk(
        await h.generate(await h.federated(), SA, {
          delegates: null,
          scope: [CLOUD_PLATFORM],
          lifetime: '3600s',
        }),
      )
    },
  },
  {
    id: 47,
    name: 'no Authorization → 401 UNAUTHENTICATED',
    async run(h) {
      for (const bearer of [undefined, 'ya29.not-a-token']) {
        const r = await h.generate(bearer)
        expect(r.status).toBe(401)
        expect(r.json).toEqual({
          error: { code: 401, message: UNAUTHENTICATED, status: 'UNAUTHENTICATED' },
        })
      }
    },
  },
  {
    id: 48,
    name: 'unbound principal (environment dev) → 403 PERMISSION_DENIED with ErrorInfo IAM_PERMISSION_DENIED',
    async run(h) {
      expectDenied(await h.generate(await h.federated({ sub: 'env:dev', environment: 'dev' })))
      const d = await lastDecision(h)
      expect(d).toMatchObject({
        cloud: 'gcp',
        action: 'generateAccessToken',
        decision: 'denied',
        errorCode: 'PERMISSION_DENIED',
        serviceAccount: SA,
      })
      expect(d['explanation']).toContain(
        `roles/iam.workloadIdentityUser on ${SA} is granted to ${PROD_SET}: none of them is the caller`,
      )
      expect(d['explanation']).toContain('missing binding')
    },
  },
  {
    id: 49,
    name: 'a service account that does not exist → the same 403',
    async run(h) {
      expectDenied(await h.generate(await h.federated(), 'nobody@proj.iam.gserviceaccount.com'))
    },
  },
  {
    id: 50,
    name: 'principal://…/subject/env:prod or principalSet://…/kl-pool/* binding → 200; another pool → 403',
    async run(h) {
      const cases: Array<[string, string, boolean]> = [
        ['subject', `principal://iam.googleapis.com/${POOL_NAME}/subject/env:prod`, true],
        ['wholepool', `principalSet://iam.googleapis.com/${POOL_NAME}/*`, true],
        [
          'otherpool',
          `principalSet://iam.googleapis.com/projects/${N}/locations/global/workloadIdentityPools/other/*`,
          false,
        ],
      ]
      const token = await h.federated()
      for (const [name, member, allowed] of cases) {
        expect(
          (await h.admin('POST', '/v1/projects/proj/serviceAccounts', { accountId: `c50-${name}` }))
            .status,
        ).toBe(200)
        const email = `c50-${name}@proj.iam.gserviceaccount.com`
        expect(
          (
            await h.setPolicy(email, [
              { role: 'roles/iam.workloadIdentityUser', members: [member] },
            ])
          ).status,
        ).toBe(200)
        const r = await h.generate(token, email)
        if (allowed) expectOk(r)
        else expectDenied(r)
      }
    },
  },
  {
    id: 51,
    name: 'roles/iam.serviceAccountTokenCreator → 200; roles/viewer → 403',
    async run(h) {
      const token = await h.federated()
      for (const [accountId, role, allowed] of [
        ['c51-creator', 'roles/iam.serviceAccountTokenCreator', true],
        ['c51-viewer', 'roles/viewer', false],
      ] as const) {
        await h.admin('POST', '/v1/projects/proj/serviceAccounts', { accountId })
        const email = `${accountId}@proj.iam.gserviceaccount.com`
        await h.setPolicy(email, [{ role, members: [PROD_SET] }])
        const r = await h.generate(token, email)
        if (allowed) expectOk(r)
        else expectDenied(r)
      }
    },
  },
  {
    id: 52,
    name: 'lifetime "3601s" → 400',
    async run(h) {
      expectInvalidArgument(
        await h.generate(await h.federated(), SA, { scope: [CLOUD_PLATFORM], lifetime: '3601s' }),
        'The access token lifetime cannot exceed 3600 seconds.',
      )
      expectOk(
        await h.generate(await h.federated(), SA, { scope: [CLOUD_PLATFORM], lifetime: '1200s' }),
      )
    },
  },
  {
    id: 53,
    name: 'missing scope → 400 INVALID_ARGUMENT "Request contains an invalid argument."',
    async run(h) {
      expectInvalidArgument(
        await h.generate(await h.federated(), SA, { lifetime: '3600s' }),
        'Request contains an invalid argument.',
      )
      expectInvalidArgument(
        await h.generate(await h.federated(), SA, { scope: [] }),
        'Request contains an invalid argument.',
      )
    },
  },
  {
    id: 54,
    name: 'a federated token on the IAM management API → 401',
    async run(h) {
      const r = await h.call('GET', `${POOLS}/kl-pool`, {
        headers: { authorization: `Bearer ${await h.federated()}` },
      })
      expect({ status: r.status, s: r.json.error.status }).toEqual({
        status: 401,
        s: 'UNAUTHENTICATED',
      })
    },
  },
  {
    id: 55,
    name: 'binding changes apply on the next call',
    async run(h) {
      await h.admin('POST', '/v1/projects/proj/serviceAccounts', { accountId: 'c55-flip' })
      const email = 'c55-flip@proj.iam.gserviceaccount.com'
      const token = await h.federated()
      expectDenied(await h.generate(token, email))
      await h.setPolicy(email, [{ role: 'roles/iam.workloadIdentityUser', members: [PROD_SET] }])
      expectOk(await h.generate(token, email))
      await h.setPolicy(email, [])
      expectDenied(await h.generate(token, email))
    },
  },
]

const peers: Case[] = [
  {
    id: 65,
    name: 'env0-shaped (iss with /, allow-list https://prod.env0.com, attribute.org_id): OK; 23 h old OK; 25 h old → invalid_grant',
    async run(h) {
      const env0 = await startTestIssuer({
        clock: h.clock,
        audience: 'https://prod.env0.com',
        trailingSlash: true,
      })
      try {
        const aud = await h.provider('c65-env0', {
          attributeMapping: {
            'google.subject': 'assertion.sub',
            'attribute.org_id': 'assertion.organizationId',
          },
          attributeCondition: "attribute.org_id == 'org-1'",
          oidc: { issuerUri: env0.url, allowedAudiences: ['https://prod.env0.com'] },
        })
        const t = now(h)
        const mint = (iat: number): Promise<string> =>
          env0.mint({ sub: 'auth0|abc', organizationId: 'org-1', iat, exp: iat + 24 * 3600 + 600 })
        expectOk(await h.exchange(await mint(t), { audience: aud }))
        expectOk(await h.exchange(await mint(t - 23 * 3600), { audience: aud }))
        expectSts(await h.exchange(await mint(t - 25 * 3600), { audience: aud }), 'invalid_grant')
      } finally {
        await env0.close()
      }
    },
  },
  {
    id: 66,
    name: 'Spacelift-shaped (aud = account hostname, condition on attribute.space) → OK',
    async run(h) {
      const aud = await h.provider('c66-spacelift', {
        attributeMapping: {
          'google.subject': 'assertion.sub',
          'attribute.space': 'assertion.spaceId',
        },
        attributeCondition: "attribute.space == 'root'",
        oidc: { issuerUri: h.issuer.url, allowedAudiences: ['acct.app.spacelift.io'] },
      })
      expectOk(
        await h.exchange(
          await h.mint({
            aud: 'acct.app.spacelift.io',
            spaceId: 'root',
            sub: 'space:root:stack:s:run_type:TRACKED:scope:write',
          }),
          { audience: aud },
        ),
      )
    },
  },
  {
    id: 67,
    name: 'HCP-shaped sub over 127 bytes → the 127-byte error',
    async run(h) {
      const sub =
        'organization:my-organization-name:project:my-project-name:workspace:my-very-long-workspace-name-for-production-eu-west:run_phase:apply'
      expect(Buffer.byteLength(sub)).toBeGreaterThan(127)
      expectSts(await h.exchange(await h.mint({ sub })), 'invalid_request', SUBJECT_127)
    },
  },
]

const management: Case[] = [
  {
    id: 'pools',
    name: 'pool create answers a finished Operation; get, list, patch, delete (soft), undelete; ids checked',
    async run(h) {
      const op = expectOk(
        await h.admin('POST', `${POOLS}?workloadIdentityPoolId=m-pool`, {
          displayName: 'M',
          disabled: false,
        }),
      )
      expect(op).toMatchObject({
        done: true,
        response: {
          name: `projects/${N}/locations/global/workloadIdentityPools/m-pool`,
          state: 'ACTIVE',
          displayName: 'M',
        },
      })
      expect(String(op['name'])).toMatch(/\/operations\/[0-9a-f]+$/u)
      expect((await h.admin('POST', `${POOLS}?workloadIdentityPoolId=m-pool`, {})).status).toBe(409)
      for (const id of ['ab', 'gcp-pool', 'Upper-case', 'x'.repeat(33)])
        expectInvalidArgument(await h.admin('POST', `${POOLS}?workloadIdentityPoolId=${id}`, {}))
      expect(expectOk(await h.admin('GET', `${POOLS}/m-pool`))).toMatchObject({ state: 'ACTIVE' })
      expectOk(
        await h.admin('PATCH', `${POOLS}/m-pool?updateMask=displayName,disabled`, {
          displayName: 'N',
          disabled: true,
        }),
      )
      expect(expectOk(await h.admin('GET', `${POOLS}/m-pool`))).toMatchObject({
        displayName: 'N',
        disabled: true,
      })
      expect(expectOk(await h.admin('DELETE', `${POOLS}/m-pool`))['response']).toMatchObject({
        state: 'DELETED',
      })
      const listed = expectOk(await h.admin('GET', POOLS))['workloadIdentityPools'] as Array<{
        name: string
      }>
      expect(listed.map((p) => p.name)).not.toContain(
        `projects/${N}/locations/global/workloadIdentityPools/m-pool`,
      )
      expect((await h.admin('POST', `${POOLS}?workloadIdentityPoolId=m-pool`, {})).status).toBe(409)
      expect(expectOk(await h.admin('POST', `${POOLS}/m-pool:undelete`))['response']).toMatchObject(
        { state: 'ACTIVE' },
      )
      expect(
        expectOk(await h.admin('GET', `/v1/projects/proj/locations/global/workloadIdentityPools`)),
      ).toEqual({})
    },
  },
  {
    id: 'providers',
    name: 'provider get/list/patch/delete/undelete; a deleted provider is invalid_target until undeleted',
    async run(h) {
      const aud = await h.provider('m-prov', {
        displayName: 'P',
        attributeCondition: "assertion.environment == 'prod'",
      })
      const got = expectOk(await h.admin('GET', `${POOLS}/kl-pool/providers/m-prov`))
      expect(got).toEqual({
        name: `${POOL_NAME}/providers/m-prov`,
        displayName: 'P',
        state: 'ACTIVE',
        attributeMapping: MAPPING,
        attributeCondition: "assertion.environment == 'prod'",
        oidc: { issuerUri: h.issuer.url },
      })
      expectOk(
        await h.admin(
          'PATCH',
          `${POOLS}/kl-pool/providers/m-prov?updateMask=oidc.allowedAudiences`,
          { oidc: { allowedAudiences: ['https://x.test'] } },
        ),
      )
      expect(expectOk(await h.admin('GET', `${POOLS}/kl-pool/providers/m-prov`))['oidc']).toEqual({
        issuerUri: h.issuer.url,
        allowedAudiences: ['https://x.test'],
      })
      expectOk(await h.exchange(await h.mint({ aud: 'https://x.test' }), { audience: aud }))
      expectOk(await h.admin('DELETE', `${POOLS}/kl-pool/providers/m-prov`))
      expectSts(
        await h.exchange(await h.mint({ aud: 'https://x.test' }), { audience: aud }),
        'invalid_target',
        TARGET,
      )
      expectOk(await h.admin('POST', `${POOLS}/kl-pool/providers/m-prov:undelete`))
      expectOk(await h.exchange(await h.mint({ aud: 'https://x.test' }), { audience: aud }))
      const list = expectOk(await h.admin('GET', `${POOLS}/kl-pool/providers`))[
        'workloadIdentityPoolProviders'
      ] as unknown[]
      expect(list.length).toBeGreaterThan(1)
      expect((await h.admin('GET', `${POOLS}/kl-pool/providers/nope`)).status).toBe(404)
    },
  },
  {
    id: 'auth',
    name: "management without or with a wrong admin token → 401 in Google's shape",
    async run(h) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }]) {
        const r = await h.call('GET', POOLS, { headers })
        expect(r.status).toBe(401)
        expect(r.json).toEqual({
          error: { code: 401, message: UNAUTHENTICATED, status: 'UNAUTHENTICATED' },
        })
      }
    },
  },
  {
    id: 'service-accounts',
    name: 'service accounts: email under the project id, 409 on a duplicate, policy etags',
    async run(h) {
      const sa = expectOk(
        await h.admin('POST', `/v1/projects/${N}/serviceAccounts`, { accountId: 'by-number' }),
      )
      expect(sa['email']).toBe(`by-number@project-${N}.iam.gserviceaccount.com`)
      expect(sa['uniqueId']).toMatch(/^\d{21}$/u)
      expect(
        (await h.admin('POST', '/v1/projects/proj/serviceAccounts', { accountId: 'deploy' }))
          .status,
      ).toBe(409)
      expectInvalidArgument(
        await h.admin('POST', '/v1/projects/proj/serviceAccounts', { accountId: 'no' }),
      )
      const policy = expectOk(
        await h.admin('POST', `/v1/projects/-/serviceAccounts/${SA}:getIamPolicy`),
      )
      expect(policy['bindings']).toEqual([
        { role: 'roles/iam.workloadIdentityUser', members: [PROD_SET] },
      ])
      const stale = await h.admin('POST', `/v1/projects/-/serviceAccounts/${SA}:setIamPolicy`, {
        policy: { etag: 'stale', bindings: [] },
      })
      expect(stale.status).toBe(409)
      expectInvalidArgument(
        await h.admin('POST', `/v1/projects/-/serviceAccounts/${SA}:setIamPolicy`, {
          policy: { bindings: [{ role: 'roles/iam.workloadIdentityUser', members: ['bogus'] }] },
        }),
      )
      expect(
        (await h.admin('GET', '/v1/projects/-/serviceAccounts/nobody@proj.iam.gserviceaccount.com'))
          .status,
      ).toBe(404)
    },
  },
  {
    id: 'decisions',
    name: 'decisions: cloud gcp, the OAuth error as errorCode, the explanation names each mapping and the principal',
    async run(h) {
      await h.exchange(await h.mint({ aud: 'https://wrong.test' }))
      expect(await lastDecision(h)).toMatchObject({
        cloud: 'gcp',
        action: 'token',
        decision: 'denied',
        errorCode: 'invalid_grant',
        step: 'audience',
        reason: 'audience-not-matched',
        provider: PN,
      })
      await h.exchange(await h.mint())
      const d = await lastDecision(h)
      expect(d).toMatchObject({
        decision: 'allowed',
        errorCode: null,
        principal: `principal://iam.googleapis.com/${POOL_NAME}/subject/env:prod`,
      })
      expect(d['explanation']).toContain('mapping google.subject = assertion.sub → "env:prod"')
      expect(d['explanation']).toContain('mapping attribute.env = assertion.environment → "prod"')
      expect((await h.call('GET', '/_keyless/health')).json).toEqual({ ok: true })
    },
  },
]

describe('Google emulator must-pass cases', () => {
  let h: GcpHarness
  beforeAll(async () => {
    h = await startGcpHarness()
    await h.setup()
  })
  afterAll(async () => {
    await h.close()
  })
  it.each(
    [...providers, ...exchanges, ...impersonation, ...peers, ...management].map(
      (c) => [`${c.id}: ${c.name}`, c] as const,
    ),
  )('%s', async (_n, c) => {
    await c.run(h)
  })
})
