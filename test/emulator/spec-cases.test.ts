/* eslint-disable @typescript-eslint/no-explicit-any -- parsed XML responses are untyped trees */
/**
 * The conformance cases of docs/aws-behaviour.md ("Conformance cases"), as a table.
 * Conventions adapted to a loopback issuer: P = the test issuer (http://127.0.0.1:<port>, a
 * documented deviation, docs/architecture.md §9), so condition keys are `127.0.0.1:<port>:aud`.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js'
import {
  ACCOUNT,
  ADMIN,
  allowP,
  form,
  readReply,
  startHarness,
  type Harness,
  type Reply,
} from './harness.js'
import { Sha256 } from '@aws-crypto/sha256-js'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'

const NO_KEY =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"
const DENIED = 'Not authorized to perform sts:AssumeRoleWithWebIdentity'

interface Case {
  readonly id: number | string
  readonly name: string
  run(h: Harness): Promise<void>
}

function expectError(r: Reply, status: number, code: string, message?: string | RegExp): void {
  expect({ status: r.status, code: r.code }, r.body).toEqual({ status, code })
  if (typeof message === 'string') expect(r.message).toBe(message)
  else if (message !== undefined) expect(r.message).toMatch(message)
}

function expectOk(r: Reply): Record<string, any> {
  expect(r.status, r.body).toBe(200)
  return r.result!
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

async function assumeWithTrust(
  h: Harness,
  statements: unknown[],
  claims: Record<string, unknown> = {},
  extra = {},
): Promise<Reply> {
  expect((await h.trust(statements)).status).toBe(200)
  return h.assume(await h.issuer.mint(claims), extra)
}

const k = (h: Harness, suffix: string): string => `${h.issuer.host}:${suffix}`

const cases: Case[] = [
  {
    id: 1,
    name: 'OK with all fields',
    async run(h) {
      const r = expectOk(await h.assume(await h.issuer.mint()))
      expect(r.Credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/u)
      expect(r.Credentials.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/u)
      expect(r.AssumedRoleUser.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:s1$/u)
      expect(r.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/R/s1`)
      expect(r.Provider).toBe(h.providerArn)
      expect(r.Audience).toBe('sts.amazonaws.com')
      expect(r.SubjectFromWebIdentityToken).toBe('user-123456')
      expect(r.PackedPolicySize).toBeUndefined()
    },
  },
  {
    id: 2,
    name: 'default duration 3600',
    async run(h) {
      const r = expectOk(await h.assume(await h.issuer.mint()))
      const expected = new Date(h.clock.now().getTime() + 3600_000)
        .toISOString()
        .replace(/\.\d{3}Z$/u, 'Z')
      expect(r.Credentials.Expiration).toBe(expected)
    },
  },
  {
    id: 3,
    name: 'unsigned request is fine',
    async run(h) {
      expectOk(await h.assume(await h.issuer.mint()))
    },
  },
  {
    id: 4,
    name: 'garbage signature ignored',
    async run(h) {
      const token = await h.issuer.mint()
      const r = await h.signed(
        {
          Action: 'AssumeRoleWithWebIdentity',
          Version: '2011-06-15',
          RoleArn: h.roleArn,
          RoleSessionName: 's1',
          WebIdentityToken: token,
        },
        { service: 'sts', creds: { accessKeyId: 'AKIAGARBAGE', secretAccessKey: 'nope' } },
      )
      expectOk(r)
    },
  },
  {
    id: 5,
    name: 'GET query form',
    async run(h) {
      const token = await h.issuer.mint()
      const q = form({
        Action: 'AssumeRoleWithWebIdentity',
        Version: '2011-06-15',
        RoleArn: h.roleArn,
        RoleSessionName: 's1',
        WebIdentityToken: token,
      })
      const res = await h.app.inject({ method: 'GET', url: `/?${q}` })
      expectOk(readReply(res.statusCode, res.headers, res.body))
    },
  },
  {
    id: 6,
    name: 'namespace, RequestId header, text/xml',
    async run(h) {
      const r = await h.assume(await h.issuer.mint())
      expect(r.xml.AssumeRoleWithWebIdentityResponse['@_xmlns']).toBe(
        'https://sts.amazonaws.com/doc/2011-06-15/',
      )
      const id = r.xml.AssumeRoleWithWebIdentityResponse.ResponseMetadata.RequestId
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u)
      expect(r.headers['x-amzn-requestid']).toBe(id)
      expect(r.headers['content-type']).toBe('text/xml')
    },
  },
  {
    id: 7,
    name: 'session name too short',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint(), { RoleSessionName: 'a' }),
        400,
        'ValidationError',
        "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
      )
    },
  },
  {
    id: 8,
    name: 'session name too long',
    async run(h) {
      const name = 'a'.repeat(65)
      expectError(
        await h.assume(await h.issuer.mint(), { RoleSessionName: name }),
        400,
        'ValidationError',
        `1 validation error detected: Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
      )
    },
  },
  {
    id: 9,
    name: 'session name pattern',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint(), { RoleSessionName: 'Session1:2' }),
        400,
        'ValidationError',
        "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      )
    },
  },
  {
    id: 10,
    name: 'session name with every allowed symbol',
    async run(h) {
      const r = expectOk(
        await h.assume(await h.issuer.mint(), { RoleSessionName: 'a+b=c,d.e@f-g_h' }),
      )
      expect(r.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/R/a+b=c,d.e@f-g_h`)
    },
  },
  {
    id: 11,
    name: 'DurationSeconds 899',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint(), { DurationSeconds: 899 }),
        400,
        'ValidationError',
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      )
    },
  },
  {
    id: 12,
    name: 'DurationSeconds 43201',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint(), { DurationSeconds: 43201 }),
        400,
        'ValidationError',
        "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
      )
    },
  },
  {
    id: 13,
    name: 'DurationSeconds over the role maximum',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint(), { DurationSeconds: 3601 }),
        400,
        'ValidationError',
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      )
    },
  },
  {
    id: 14,
    name: 'role max 43200 and a 12 h session',
    async run(h) {
      expect(
        (await h.iam({ Action: 'UpdateRole', RoleName: 'R', MaxSessionDuration: 43200 })).status,
      ).toBe(200)
      const r = expectOk(await h.assume(await h.issuer.mint(), { DurationSeconds: 43200 }))
      expect(Date.parse(r.Credentials.Expiration)).toBe(h.clock.now().getTime() + 43200_000)
    },
  },
  {
    id: 15,
    name: 'DurationSeconds 900',
    async run(h) {
      const r = expectOk(await h.assume(await h.issuer.mint(), { DurationSeconds: 900 }))
      expect(Date.parse(r.Credentials.Expiration)).toBe(h.clock.now().getTime() + 900_000)
    },
  },
  {
    id: 16,
    name: 'missing token; unparsable RoleArn',
    async run(h) {
      expectError(
        await h.post({
          Action: 'AssumeRoleWithWebIdentity',
          Version: '2011-06-15',
          RoleArn: h.roleArn,
          RoleSessionName: 's1',
        }),
        400,
        'ValidationError',
        "1 validation error detected: Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null",
      )
      expectError(
        await h.assume(await h.issuer.mint(), { RoleArn: 'nothing-valid-in-here' }),
        400,
        'ValidationError',
        'nothing-valid-in-here is invalid',
      )
    },
  },
  {
    id: 17,
    name: 'no provider for iss',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint({ iss: 'https://other.example.com' })),
        400,
        'InvalidIdentityToken',
        'No OpenIDConnect provider found in your account for https://other.example.com',
      )
    },
  },
  {
    id: 18,
    name: 'trailing slash is significant',
    async run(h) {
      const iss = `${h.issuer.url}/`
      expectError(
        await h.assume(await h.issuer.mint({ iss })),
        400,
        'InvalidIdentityToken',
        `No OpenIDConnect provider found in your account for ${iss}`,
      )
    },
  },
  {
    id: 19,
    name: 'provider registered with a trailing slash',
    async run(h) {
      const iss = `${h.issuer.url}/`
      expect(
        (
          await h.iam({
            Action: 'CreateOpenIDConnectProvider',
            Url: iss,
            'ClientIDList.member.1': 'sts.amazonaws.com',
          })
        ).status,
      ).toBe(200)
      const arn = `${h.providerArn}/`
      await h.trust([
        {
          Effect: 'Allow',
          Principal: { Federated: arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${h.issuer.host}/:aud`]: 'sts.amazonaws.com' } },
        },
      ])
      const r = expectOk(await h.assume(await h.issuer.mint({ iss })))
      expect(r.Provider).toBe(arn)
    },
  },
  {
    id: 20,
    name: 'iss case differs',
    async run(h) {
      const iss = h.issuer.url.replace('http://', 'HTTP://')
      expectError(
        await h.assume(await h.issuer.mint({ iss })),
        400,
        'InvalidIdentityToken',
        `No OpenIDConnect provider found in your account for ${iss}`,
      )
    },
  },
  {
    id: 21,
    name: 'role in another account than the provider',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint(), { RoleArn: 'arn:aws:iam::999988887777:role/R' }),
        400,
        'InvalidIdentityToken',
        `No OpenIDConnect provider found in your account for ${h.issuer.url}`,
      )
    },
  },
  {
    id: 22,
    name: 'wrong audience',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint({ aud: 'other-client' })),
        400,
        'InvalidIdentityToken',
        'Incorrect token audience',
      )
    },
  },
  {
    id: 23,
    name: 'audience among several client ids',
    async run(h) {
      for (const id of ['a', 'b'])
        await h.iam({
          Action: 'AddClientIDToOpenIDConnectProvider',
          OpenIDConnectProviderArn: h.providerArn,
          ClientID: id,
        })
      await h.trust([allowP(h, { StringEquals: { [k(h, 'aud')]: 'b' } })])
      expect(expectOk(await h.assume(await h.issuer.mint({ aud: 'b' }))).Audience).toBe('b')
    },
  },
  {
    id: 24,
    name: 'no aud claim',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint({ aud: undefined })),
        400,
        'InvalidIdentityToken',
        'Missing a required claim: aud',
      )
    },
  },
  {
    id: 25,
    name: 'aud case differs',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint({ aud: 'STS.amazonaws.com' })),
        400,
        'InvalidIdentityToken',
        'Incorrect token audience',
      )
    },
  },
  {
    id: 26,
    name: 'aud array',
    async run(h) {
      expect(
        expectOk(await h.assume(await h.issuer.mint({ aud: ['x', 'sts.amazonaws.com'] }))).Audience,
      ).toBe('sts.amazonaws.com')
    },
  },
  {
    id: 27,
    name: 'azp condition',
    async run(h) {
      expectOk(
        await assumeWithTrust(
          h,
          [allowP(h, { StringEquals: { [k(h, 'azp')]: 'sts.amazonaws.com' } })],
          { azp: 'sts.amazonaws.com' },
        ),
      )
    },
  },
  {
    id: 28,
    name: 'azp condition without azp',
    async run(h) {
      expectError(
        await assumeWithTrust(h, [
          allowP(h, { StringEquals: { [k(h, 'azp')]: 'sts.amazonaws.com' } }),
        ]),
        403,
        'AccessDenied',
        DENIED,
      )
    },
  },
  {
    id: 29,
    name: 'expired by one second',
    async run(h) {
      const now = Math.floor(h.clock.now().getTime() / 1000)
      expectError(
        await h.assume(await h.issuer.mint({ exp: now - 1 })),
        400,
        'ExpiredTokenException',
        `Token expired: current date/time ${now} must be before the expiration date/time ${now - 1}`,
      )
    },
  },
  {
    id: 30,
    name: 'exp = now + 1',
    async run(h) {
      expectOk(
        await h.assume(
          await h.issuer.mint({ exp: Math.floor(h.clock.now().getTime() / 1000) + 1 }),
        ),
      )
    },
  },
  {
    id: 31,
    name: 'no exp',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint({ exp: undefined })),
        400,
        'InvalidIdentityToken',
      )
    },
  },
  {
    id: 32,
    name: 'float exp',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint({ exp: 4_000_000_000.5 })),
        400,
        'InvalidIdentityToken',
      )
    },
  },
  {
    id: 33,
    name: 'nbf an hour ahead',
    async run(h) {
      expectError(
        await h.assume(
          await h.issuer.mint({ nbf: Math.floor(h.clock.now().getTime() / 1000) + 3600 }),
        ),
        400,
        'InvalidIdentityToken',
      )
    },
  },
  {
    id: 34,
    name: 'alg none',
    async run(h) {
      const [, payload] = (await h.issuer.mint()).split('.')
      expectError(
        await h.assume(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`),
        400,
        'InvalidIdentityToken',
      )
    },
  },
  {
    id: 35,
    name: 'HS256 signed with the public key',
    async run(h) {
      const [, payload] = (await h.issuer.mint()).split('.')
      const header = b64({ alg: 'HS256', kid: 'k1' })
      const secret = JSON.stringify(h.issuer.jwks().keys[0])
      const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')
      expectError(await h.assume(`${header}.${payload}.${sig}`), 400, 'InvalidIdentityToken')
    },
  },
  {
    id: 36,
    name: 'PS256 refused; ES256, RS512, ES384 accepted',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint({}, { alg: 'PS256' })),
        400,
        'InvalidIdentityToken',
      )
      // Mint first so that every key is in the JWKS before the emulator fetches it.
      const tokens = []
      for (const alg of ['ES256', 'RS512', 'ES384'] as const)
        tokens.push(await h.issuer.mint({}, { alg }))
      for (const token of tokens) expectOk(await h.assume(token))
    },
  },
  {
    id: 37,
    name: 'bit-flipped signature',
    async run(h) {
      const [a, b, c] = (await h.issuer.mint()).split('.') as [string, string, string]
      const sig = Buffer.from(c, 'base64url')
      sig[10] = (sig[10] ?? 0) ^ 1
      expectError(
        await h.assume(`${a}.${b}.${sig.toString('base64url')}`),
        400,
        'InvalidIdentityToken',
      )
      expectError(
        await h.assume(await h.issuer.mint({}, { wrongKey: true })),
        400,
        'InvalidIdentityToken',
      )
    },
  },
  {
    id: 38,
    name: 'unknown kid',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint({}, { kid: 'k9' })),
        400,
        'InvalidIdentityToken',
        NO_KEY,
      )
    },
  },
  {
    id: 39,
    name: 'key rotation: refetch on unknown kid',
    async run(h) {
      expectOk(await h.assume(await h.issuer.mint()))
      await h.issuer.rotate()
      expectOk(await h.assume(await h.issuer.mint()))
      expect(h.issuer.fetches.jwks).toBe(2)
    },
  },
  {
    id: 40,
    name: 'discovery 404, JWKS 500, slow issuer',
    async run(h) {
      h.issuer.behavior.discoveryStatus = 404
      expectError(await h.assume(await h.issuer.mint()), 400, 'InvalidIdentityToken', NO_KEY)
      h.issuer.behavior.discoveryStatus = 200
      h.issuer.behavior.jwksStatus = 500
      expectError(await h.assume(await h.issuer.mint()), 400, 'InvalidIdentityToken', NO_KEY)
      h.issuer.behavior.jwksStatus = 200
      h.issuer.behavior.delayMs = 400
      expectError(await h.assume(await h.issuer.mint()), 400, 'InvalidIdentityToken', NO_KEY)
    },
  },
  {
    id: 41,
    name: 'not a JWT',
    async run(h) {
      for (const t of [
        'abc.def',
        'a!b.c$d.e%f',
        `${b64({ alg: 'RS256' })}.${b64([1])}.AAAA`,
        'a.b.c.d.e',
      ])
        expectError(await h.assume(t), 400, 'InvalidIdentityToken')
    },
  },
  {
    id: 42,
    name: 'token length bounds',
    async run(h) {
      expectError(
        await h.assume('x'.repeat(20001)),
        400,
        'ValidationError',
        /Member must have length less than or equal to 20000/u,
      )
      expectError(
        await h.assume('abc'),
        400,
        'ValidationError',
        /Member must have length greater than or equal to 4/u,
      )
    },
  },
  {
    id: 43,
    name: 'no Allow for P',
    async run(h) {
      expectError(
        await assumeWithTrust(h, [
          {
            Effect: 'Allow',
            Principal: { Federated: 'accounts.google.com' },
            Action: 'sts:AssumeRoleWithWebIdentity',
          },
        ]),
        403,
        'AccessDenied',
        DENIED,
      )
    },
  },
  {
    id: 44,
    name: 'role does not exist',
    async run(h) {
      expectError(
        await h.assume(await h.issuer.mint(), { RoleArn: `arn:aws:iam::${ACCOUNT}:role/Nope` }),
        403,
        'AccessDenied',
        DENIED,
      )
    },
  },
  {
    id: 45,
    name: 'explicit Deny wins',
    async run(h) {
      const deny = {
        Effect: 'Deny',
        Principal: { Federated: h.providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [k(h, 'sub')]: 'user-123456' } },
      }
      expectError(
        await assumeWithTrust(h, [
          h.t0().Statement instanceof Array ? (h.t0().Statement as unknown[])[0] : {},
          deny,
        ]),
        403,
        'AccessDenied',
        DENIED,
      )
    },
  },
  {
    id: 46,
    name: 'StringLike * crosses / and :',
    async run(h) {
      expectOk(
        await assumeWithTrust(h, [allowP(h, { StringLike: { [k(h, 'sub')]: 'repo:org/*' } })], {
          sub: 'repo:org/app:ref:refs/heads/main',
        }),
      )
    },
  },
  {
    id: 47,
    name: 'StringLike ?',
    async run(h) {
      expectOk(
        await assumeWithTrust(
          h,
          [allowP(h, { StringLike: { [k(h, 'sub')]: 'repo:org/app:ref:refs/heads/ma?n' } })],
          { sub: 'repo:org/app:ref:refs/heads/main' },
        ),
      )
      expectError(
        await h.assume(await h.issuer.mint({ sub: 'repo:org/app:ref:refs/heads/maiin' })),
        403,
        'AccessDenied',
      )
    },
  },
  {
    id: 48,
    name: 'StringEquals has no wildcards',
    async run(h) {
      expectError(
        await assumeWithTrust(h, [allowP(h, { StringEquals: { [k(h, 'sub')]: 'repo:org/*' } })], {
          sub: 'repo:org/app',
        }),
        403,
        'AccessDenied',
      )
    },
  },
  {
    id: 49,
    name: 'OR across values',
    async run(h) {
      expectOk(
        await assumeWithTrust(h, [
          allowP(h, { StringEquals: { [k(h, 'sub')]: ['a', 'user-123456'] } }),
        ]),
      )
    },
  },
  {
    id: 50,
    name: 'AND across keys',
    async run(h) {
      expectError(
        await assumeWithTrust(h, [
          allowP(h, {
            StringEquals: { [k(h, 'aud')]: 'sts.amazonaws.com', [k(h, 'sub')]: 'other' },
          }),
        ]),
        403,
        'AccessDenied',
      )
    },
  },
  {
    id: 51,
    name: 'negated operator on a missing key',
    async run(h) {
      expectOk(await assumeWithTrust(h, [allowP(h, { StringNotEquals: { [k(h, 'email')]: 'x' } })]))
    },
  },
  {
    id: 52,
    name: 'positive operator on a missing key',
    async run(h) {
      expectError(
        await assumeWithTrust(h, [allowP(h, { StringEquals: { [k(h, 'email')]: 'x' } })]),
        403,
        'AccessDenied',
      )
    },
  },
  {
    id: 53,
    name: 'IfExists on a missing key',
    async run(h) {
      expectOk(
        await assumeWithTrust(h, [allowP(h, { StringEqualsIfExists: { [k(h, 'email')]: 'x' } })]),
      )
    },
  },
  {
    id: 54,
    name: 'Null',
    async run(h) {
      expectOk(await assumeWithTrust(h, [allowP(h, { Null: { [k(h, 'azp')]: 'true' } })]))
      expectError(await h.assume(await h.issuer.mint({ azp: 'x' })), 403, 'AccessDenied')
    },
  },
  {
    id: 55,
    name: 'ForAnyValue on a missing key',
    async run(h) {
      expectError(
        await assumeWithTrust(h, [
          allowP(h, { 'ForAnyValue:StringEquals': { [k(h, 'amr')]: 'mfa' } }),
        ]),
        403,
        'AccessDenied',
      )
    },
  },
  {
    id: 56,
    name: 'ForAllValues',
    async run(h) {
      expectOk(
        await assumeWithTrust(h, [
          allowP(h, { 'ForAllValues:StringEquals': { [k(h, 'amr')]: ['pwd'] } }),
        ]),
      )
      expectError(await h.assume(await h.issuer.mint({ amr: ['pwd', 'otp'] })), 403, 'AccessDenied')
    },
  },
  {
    id: 57,
    name: 'ForAnyValue match',
    async run(h) {
      expectOk(
        await assumeWithTrust(
          h,
          [allowP(h, { 'ForAnyValue:StringEquals': { [k(h, 'amr')]: 'otp' } })],
          { amr: ['pwd', 'otp'] },
        ),
      )
    },
  },
  {
    id: 58,
    name: 'key names case-insensitive, values case-sensitive',
    async run(h) {
      const key = k(h, 'sub').toUpperCase()
      expectOk(await assumeWithTrust(h, [allowP(h, { StringEquals: { [key]: 'user-123456' } })]))
      expectError(
        await assumeWithTrust(h, [allowP(h, { StringEquals: { [key]: 'USER-123456' } })]),
        403,
        'AccessDenied',
      )
    },
  },
  {
    id: 59,
    name: 'StringEqualsIgnoreCase',
    async run(h) {
      expectOk(
        await assumeWithTrust(h, [
          allowP(h, { StringEqualsIgnoreCase: { [k(h, 'sub')]: 'USER-123456' } }),
        ]),
      )
    },
  },
  {
    id: 60,
    name: 'action matching',
    async run(h) {
      for (const action of ['sts:assumerolewithwebidentity', 'sts:AssumeRole*', 'sts:*'])
        expectOk(await assumeWithTrust(h, [allowP(h, undefined, action)]))
      expectError(
        await assumeWithTrust(h, [allowP(h, undefined, 'sts:AssumeRole')]),
        403,
        'AccessDenied',
      )
    },
  },
  {
    id: 61,
    name: 'NotAction',
    async run(h) {
      expectOk(
        await assumeWithTrust(h, [
          { Effect: 'Allow', Principal: { Federated: h.providerArn }, NotAction: 'sts:AssumeRole' },
        ]),
      )
    },
  },
  {
    id: 62,
    name: 'Principal *',
    async run(h) {
      expectOk(
        await assumeWithTrust(h, [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: { [k(h, 'aud')]: 'sts.amazonaws.com' } },
          },
        ]),
      )
    },
  },
  {
    id: 63,
    name: 'sts:RoleSessionName',
    async run(h) {
      expectError(
        await assumeWithTrust(
          h,
          [allowP(h, { StringEquals: { 'sts:RoleSessionName': 'ci-*' } })],
          {},
          { RoleSessionName: 'ci-42' },
        ),
        403,
        'AccessDenied',
      )
      expectOk(
        await assumeWithTrust(
          h,
          [allowP(h, { StringLike: { 'sts:RoleSessionName': 'ci-*' } })],
          {},
          { RoleSessionName: 'ci-42' },
        ),
      )
    },
  },
  {
    id: 64,
    name: 'aws:SourceIp',
    async run(h) {
      expectError(
        await assumeWithTrust(h, [allowP(h, { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })]),
        403,
        'AccessDenied',
      )
      expectOk(
        await assumeWithTrust(h, [allowP(h, { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })]),
      )
    },
  },
  {
    id: 65,
    name: 'aws:CurrentTime and aws:SecureTransport',
    async run(h) {
      expectError(
        await assumeWithTrust(h, [
          allowP(h, { DateLessThan: { 'aws:CurrentTime': '2000-01-01T00:00:00Z' } }),
        ]),
        403,
        'AccessDenied',
      )
      expectError(
        await assumeWithTrust(h, [allowP(h, { Bool: { 'aws:SecureTransport': 'true' } })]),
        403,
        'AccessDenied',
      )
    },
  },
  {
    id: 66,
    name: 'policy variables only in 2012-10-17',
    async run(h) {
      const st = allowP(h, { StringEquals: { 'sts:RoleSessionName': `\${${k(h, 'sub')}}` } })
      expectOk(await assumeWithTrust(h, [st], {}, { RoleSessionName: 'user-123456' }))
      await h.trust([st], '2008-10-17')
      expectError(
        await h.assume(await h.issuer.mint(), { RoleSessionName: 'user-123456' }),
        403,
        'AccessDenied',
      )
    },
  },
  {
    id: 67,
    name: 'escape ${*}',
    async run(h) {
      expectOk(
        await assumeWithTrust(
          h,
          [allowP(h, { StringEquals: { [k(h, 'sub')]: 'repo:org/${*}' } })],
          { sub: 'repo:org/*' },
        ),
      )
      expectError(await h.assume(await h.issuer.mint({ sub: 'repo:org/x' })), 403, 'AccessDenied')
    },
  },
  {
    id: 68,
    name: 'tags need sts:TagSession',
    async run(h) {
      expectError(
        await h.assume(
          await h.issuer.mint({
            'https://aws.amazon.com/tags': { principal_tags: { Project: ['A'] } },
          }),
        ),
        403,
        'AccessDenied',
        DENIED,
      )
    },
  },
  {
    id: 69,
    name: 'tags with TagSession; GetCallerIdentity afterwards',
    async run(h) {
      const r = expectOk(
        await assumeWithTrust(
          h,
          [allowP(h, undefined, ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'])],
          { 'https://aws.amazon.com/tags': { principal_tags: { Project: ['A'] } } },
        ),
      )
      const size = Number(r.PackedPolicySize)
      expect(Number.isInteger(size) && size >= 0 && size <= 100).toBe(true)
      const c = r.Credentials
      const who = expectOk(
        await h.signed(
          { Action: 'GetCallerIdentity', Version: '2011-06-15' },
          {
            service: 'sts',
            creds: {
              accessKeyId: c.AccessKeyId,
              secretAccessKey: c.SecretAccessKey,
              sessionToken: c.SessionToken,
            },
          },
        ),
      )
      expect(who.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/R/s1`)
    },
  },
  {
    id: 70,
    name: 'aws:RequestTag',
    async run(h) {
      const claims = { 'https://aws.amazon.com/tags': { principal_tags: { Project: ['A'] } } }
      const tagSt = (v: string) => ({
        Effect: 'Allow',
        Principal: { Federated: h.providerArn },
        Action: 'sts:TagSession',
        Condition: { StringEquals: { 'aws:RequestTag/Project': v } },
      })
      expectError(await assumeWithTrust(h, [allowP(h), tagSt('B')], claims), 403, 'AccessDenied')
      expectOk(await assumeWithTrust(h, [allowP(h), tagSt('A')], claims))
    },
  },
  {
    id: 71,
    name: 'aws:TagKeys',
    async run(h) {
      const claims = {
        'https://aws.amazon.com/tags': { principal_tags: { Project: ['A'], Team: ['x'] } },
      }
      const tagSt = (v: string[]) => ({
        Effect: 'Allow',
        Principal: { Federated: h.providerArn },
        Action: 'sts:TagSession',
        Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': v } },
      })
      expectError(
        await assumeWithTrust(h, [allowP(h), tagSt(['Project'])], claims),
        403,
        'AccessDenied',
      )
      expectOk(await assumeWithTrust(h, [allowP(h), tagSt(['Project', 'Team'])], claims))
    },
  },
  ...(
    [
      [72, '51 tags', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, ['v']]))],
      [73, '129-char key', { ['k'.repeat(129)]: ['v'] }],
      ['73b', '257-char value', { k: ['v'.repeat(257)] }],
      [74, 'duplicate keys differing in case', { Dept: ['a'], dept: ['b'] }],
      [75, 'multi-valued tag', { Dept: ['a', 'b'] }],
      [77, 'aws: prefix', { 'aws:foo': ['a'] }],
    ] as const
  ).map(([id, name, tags]): Case => ({
    id,
    name: `refused tags: ${name}`,
    async run(h) {
      const r = await assumeWithTrust(
        h,
        [allowP(h, undefined, ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'])],
        { 'https://aws.amazon.com/tags': { principal_tags: tags } },
      )
      expect(r.status, r.body).toBe(400)
    },
  })),
  {
    id: 76,
    name: 'transitive key not among the tags',
    async run(h) {
      const r = await assumeWithTrust(
        h,
        [allowP(h, undefined, ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'])],
        {
          'https://aws.amazon.com/tags': {
            principal_tags: { A: ['1'] },
            transitive_tag_keys: ['Missing'],
          },
        },
      )
      expectError(
        r,
        400,
        'InvalidParameterValue',
        'The specified transitive tag key must be included in the requested tags.',
      )
    },
  },
  {
    id: 78,
    name: 'source identity needs sts:SetSourceIdentity',
    async run(h) {
      const claims = { 'https://aws.amazon.com/source_identity': 'Admin' }
      expectError(await assumeWithTrust(h, [allowP(h)], claims), 403, 'AccessDenied')
      const r = expectOk(
        await assumeWithTrust(
          h,
          [allowP(h, undefined, ['sts:AssumeRoleWithWebIdentity', 'sts:SetSourceIdentity'])],
          claims,
        ),
      )
      expect(r.SourceIdentity).toBe('Admin')
    },
  },
  {
    id: 79,
    name: 'bad source identities',
    async run(h) {
      await h.trust([
        allowP(h, undefined, ['sts:AssumeRoleWithWebIdentity', 'sts:SetSourceIdentity']),
      ])
      for (const v of ['aws:x', 'a', 'a'.repeat(65)])
        expect(
          (await h.assume(await h.issuer.mint({ 'https://aws.amazon.com/source_identity': v })))
            .status,
        ).toBe(400)
    },
  },
  {
    id: 80,
    name: 'session policy',
    async run(h) {
      const long = 'x'.repeat(2049)
      expectError(
        await h.assume(await h.issuer.mint(), { Policy: long }),
        400,
        'ValidationError',
        /Member must have length less than or equal to 2048/u,
      )
      expectError(
        await h.assume(await h.issuer.mint(), { Policy: '{not json' }),
        400,
        'MalformedPolicyDocument',
      )
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
      })
      expect(
        Number(
          expectOk(await h.assume(await h.issuer.mint(), { Policy: policy })).PackedPolicySize,
        ),
      ).toBeGreaterThan(0)
    },
  },
  {
    id: 81,
    name: '11 policy ARNs',
    async run(h) {
      const extra: Record<string, string> = {}
      for (let i = 1; i <= 11; i += 1)
        extra[`PolicyArns.member.${i}.arn`] = `arn:aws:iam::aws:policy/P${i}xxxxxxxxxxx`
      expectError(await h.assume(await h.issuer.mint(), extra), 400, 'ValidationError')
    },
  },
  {
    id: 82,
    name: 'packed policy too large',
    async run(h) {
      await h.trust([allowP(h, undefined, ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'])])
      const tags = Object.fromEntries(
        Array.from({ length: 30 }, (_, i) => [`Key${i}`, [randomBytes(50).toString('hex')]]),
      )
      const actions = Array.from(
        { length: 40 },
        (_, i) => `s3:Get${randomBytes(8).toString('hex')}${i}`,
      )
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
      })
      const r = await h.assume(
        await h.issuer.mint({ 'https://aws.amazon.com/tags': { principal_tags: tags } }),
        { Policy: policy },
      )
      expectError(
        r,
        400,
        'PackedPolicyTooLarge',
        /^Packed policy consumes \d{3,}% of allotted space/u,
      )
    },
  },
  {
    id: 83,
    name: 'GetCallerIdentity with session credentials',
    async run(h) {
      const c = expectOk(await h.assume(await h.issuer.mint())).Credentials
      const who = expectOk(
        await h.signed(
          { Action: 'GetCallerIdentity', Version: '2011-06-15' },
          {
            service: 'sts',
            creds: {
              accessKeyId: c.AccessKeyId,
              secretAccessKey: c.SecretAccessKey,
              sessionToken: c.SessionToken,
            },
          },
        ),
      )
      const role = expectOk(await h.iam({ Action: 'GetRole', RoleName: 'R' })).Role
      expect(who).toEqual({
        UserId: `${role.RoleId}:s1`,
        Account: ACCOUNT,
        Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/R/s1`,
      })
    },
  },
  ...(
    [
      [
        84,
        'no session token',
        (c: any) => ({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey }),
        'InvalidClientTokenId',
        'The security token included in the request is invalid',
      ],
      [
        85,
        'tampered session token',
        (c: any) => ({
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: `${c.SessionToken}x`,
        }),
        'InvalidClientTokenId',
        'The security token included in the request is invalid',
      ],
      [
        87,
        'wrong secret',
        (c: any) => ({
          accessKeyId: c.AccessKeyId,
          secretAccessKey: 'x'.repeat(40),
          sessionToken: c.SessionToken,
        }),
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      ],
    ] as const
  ).map(([id, name, creds, code, message]): Case => ({
    id,
    name: `GetCallerIdentity: ${name}`,
    async run(h) {
      const c = expectOk(await h.assume(await h.issuer.mint())).Credentials
      expectError(
        await h.signed(
          { Action: 'GetCallerIdentity', Version: '2011-06-15' },
          { service: 'sts', creds: creds(c) },
        ),
        403,
        code,
        message,
      )
    },
  })),
  {
    id: 86,
    name: 'GetCallerIdentity after expiry',
    async run(h) {
      const c = expectOk(
        await h.assume(await h.issuer.mint(), { DurationSeconds: 900 }),
      ).Credentials
      h.clock.advance(901_000)
      expectError(
        await h.signed(
          { Action: 'GetCallerIdentity', Version: '2011-06-15' },
          {
            service: 'sts',
            creds: {
              accessKeyId: c.AccessKeyId,
              secretAccessKey: c.SecretAccessKey,
              sessionToken: c.SessionToken,
            },
          },
        ),
        403,
        'ExpiredToken',
        'The security token included in the request is expired',
      )
    },
  },
  {
    id: 88,
    name: 'X-Amz-Date 16 min old / 14 min old',
    async run(h) {
      const c = expectOk(await h.assume(await h.issuer.mint())).Credentials
      const creds = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
      }
      const params = { Action: 'GetCallerIdentity', Version: '2011-06-15' }
      const now = h.clock.now().getTime()
      const amz = (ms: number) =>
        new Date(ms)
          .toISOString()
          .replace(/[-:]/gu, '')
          .replace(/\.\d{3}Z$/u, 'Z')
      expectError(
        await h.signed(params, { service: 'sts', creds, date: new Date(now - 16 * 60_000) }),
        403,
        'SignatureDoesNotMatch',
        `Signature expired: ${amz(now - 16 * 60_000)} is now earlier than ${amz(now - 15 * 60_000)} (${amz(now)} - 15 min.)`,
      )
      expectOk(await h.signed(params, { service: 'sts', creds, date: new Date(now - 14 * 60_000) }))
    },
  },
  {
    id: 89,
    name: 'X-Amz-Date 16 min ahead',
    async run(h) {
      const now = h.clock.now().getTime()
      const amz = (ms: number) =>
        new Date(ms)
          .toISOString()
          .replace(/[-:]/gu, '')
          .replace(/\.\d{3}Z$/u, 'Z')
      expectError(
        await h.signed(
          { Action: 'GetCallerIdentity', Version: '2011-06-15' },
          { service: 'sts', creds: ADMIN, date: new Date(now + 16 * 60_000) },
        ),
        403,
        'SignatureDoesNotMatch',
        `Signature not yet current: ${amz(now + 16 * 60_000)} is still later than ${amz(now + 15 * 60_000)} (${amz(now)} + 15 min.)`,
      )
    },
  },
  {
    id: 90,
    name: 'presigned GET with x-k8s-aws-id; after expiry',
    async run(h) {
      const c = expectOk(await h.assume(await h.issuer.mint())).Credentials
      const signer = new SignatureV4({
        service: 'sts',
        region: 'us-east-1',
        sha256: Sha256,
        credentials: {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
        },
      })
      const req = new HttpRequest({
        method: 'GET',
        protocol: 'http:',
        hostname: 'localhost',
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host: 'localhost', 'x-k8s-aws-id': 'my-cluster' },
      })
      const signed = await signer.presign(req, { expiresIn: 60, signingDate: h.clock.now() })
      const url = `/?${new URLSearchParams(signed.query as Record<string, string>).toString()}`
      const headers = { host: 'localhost', 'x-k8s-aws-id': 'my-cluster' }
      const ok = await h.app.inject({ method: 'GET', url, headers })
      expect(readReply(ok.statusCode, ok.headers, ok.body).result?.Arn).toBe(
        `arn:aws:sts::${ACCOUNT}:assumed-role/R/s1`,
      )
      h.clock.advance(61_000)
      const late = await h.app.inject({ method: 'GET', url, headers })
      expect(late.statusCode).toBe(403)
    },
  },
  {
    id: 91,
    name: 'canonicalization: shuffled query, double spaces',
    async run(h) {
      const c = expectOk(await h.assume(await h.issuer.mint())).Credentials
      const signer = new SignatureV4({
        service: 'sts',
        region: 'us-east-1',
        sha256: Sha256,
        credentials: {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
        },
      })
      const req = new HttpRequest({
        method: 'GET',
        protocol: 'http:',
        hostname: 'localhost',
        path: '/',
        query: { Version: '2011-06-15', Action: 'GetCallerIdentity' },
        headers: { host: 'localhost', 'x-custom': 'a  b   c' },
      })
      const signed = await signer.sign(req, { signingDate: h.clock.now() })
      const res = await h.app.inject({
        method: 'GET',
        url: '/?Version=2011-06-15&Action=GetCallerIdentity',
        headers: signed.headers,
      })
      expect(res.statusCode, res.body).toBe(200)
    },
  },
  {
    id: 92,
    name: 'provider created twice',
    async run(h) {
      expectError(
        await h.iam({ Action: 'CreateOpenIDConnectProvider', Url: h.issuer.url }),
        409,
        'EntityAlreadyExists',
        `Provider with url ${h.issuer.url} already exists.`,
      )
    },
  },
  {
    id: 93,
    name: 'provider without thumbprints and client ids',
    async run(h) {
      const r = expectOk(
        await h.iam({ Action: 'CreateOpenIDConnectProvider', Url: 'https://idp.example.com' }),
      )
      expect(r.OpenIDConnectProviderArn).toBe(
        `arn:aws:iam::${ACCOUNT}:oidc-provider/idp.example.com`,
      )
    },
  },
  {
    id: 94,
    name: 'thumbprint and client-id limits',
    async run(h) {
      expectError(
        await h.iam({
          Action: 'CreateOpenIDConnectProvider',
          Url: 'https://a.example.com',
          'ThumbprintList.member.1': 'a'.repeat(39),
        }),
        400,
        'ValidationError',
      )
      const six: Record<string, string> = {}
      for (let i = 1; i <= 6; i += 1) six[`ThumbprintList.member.${i}`] = String(i).repeat(40)
      expectError(
        await h.iam({
          Action: 'CreateOpenIDConnectProvider',
          Url: 'https://b.example.com',
          ...six,
        }),
        400,
        'InvalidInput',
      )
      const ids: Record<string, string> = {}
      for (let i = 1; i <= 101; i += 1) ids[`ClientIDList.member.${i}`] = `client-${i}`
      expectError(
        await h.iam({
          Action: 'CreateOpenIDConnectProvider',
          Url: 'https://c.example.com',
          ...ids,
        }),
        409,
        'LimitExceeded',
      )
    },
  },
  {
    id: 95,
    name: 'non-loopback http provider',
    async run(h) {
      expectError(
        await h.iam({ Action: 'CreateOpenIDConnectProvider', Url: 'http://idp.example.com' }),
        400,
        'InvalidInput',
      )
    },
  },
  {
    id: 96,
    name: 'GetOpenIDConnectProvider',
    async run(h) {
      const r = expectOk(
        await h.iam({
          Action: 'GetOpenIDConnectProvider',
          OpenIDConnectProviderArn: h.providerArn,
        }),
      )
      expect(r.Url).toBe(h.issuer.host)
      expect(r.ClientIDList.member).toEqual(['sts.amazonaws.com'])
      expect(r.CreateDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/u)
    },
  },
  {
    id: 97,
    name: 'client id add/remove are idempotent',
    async run(h) {
      expectOk(
        await h.iam({
          Action: 'AddClientIDToOpenIDConnectProvider',
          OpenIDConnectProviderArn: h.providerArn,
          ClientID: 'sts.amazonaws.com',
        }),
      )
      expectOk(
        await h.iam({
          Action: 'RemoveClientIDFromOpenIDConnectProvider',
          OpenIDConnectProviderArn: h.providerArn,
          ClientID: 'absent',
        }),
      )
      expect(
        expectOk(
          await h.iam({
            Action: 'GetOpenIDConnectProvider',
            OpenIDConnectProviderArn: h.providerArn,
          }),
        ).ClientIDList.member,
      ).toEqual(['sts.amazonaws.com'])
    },
  },
  {
    id: 98,
    name: 'removed client id',
    async run(h) {
      expectOk(
        await h.iam({
          Action: 'RemoveClientIDFromOpenIDConnectProvider',
          OpenIDConnectProviderArn: h.providerArn,
          ClientID: 'sts.amazonaws.com',
        }),
      )
      expectError(
        await h.assume(await h.issuer.mint()),
        400,
        'InvalidIdentityToken',
        'Incorrect token audience',
      )
    },
  },
  {
    id: 99,
    name: 'DeleteOpenIDConnectProvider twice',
    async run(h) {
      expectOk(
        await h.iam({
          Action: 'DeleteOpenIDConnectProvider',
          OpenIDConnectProviderArn: h.providerArn,
        }),
      )
      expectOk(
        await h.iam({
          Action: 'DeleteOpenIDConnectProvider',
          OpenIDConnectProviderArn: h.providerArn,
        }),
      )
      expectError(
        await h.assume(await h.issuer.mint()),
        400,
        'InvalidIdentityToken',
        `No OpenIDConnect provider found in your account for ${h.issuer.url}`,
      )
    },
  },
  {
    id: 100,
    name: 'UpdateOpenIDConnectProviderThumbprint replaces',
    async run(h) {
      expectOk(
        await h.iam({
          Action: 'UpdateOpenIDConnectProviderThumbprint',
          OpenIDConnectProviderArn: h.providerArn,
          'ThumbprintList.member.1': 'a'.repeat(40),
        }),
      )
      expectOk(
        await h.iam({
          Action: 'UpdateOpenIDConnectProviderThumbprint',
          OpenIDConnectProviderArn: h.providerArn,
          'ThumbprintList.member.1': 'b'.repeat(40),
        }),
      )
      expect(
        expectOk(
          await h.iam({
            Action: 'GetOpenIDConnectProvider',
            OpenIDConnectProviderArn: h.providerArn,
          }),
        ).ThumbprintList.member,
      ).toEqual(['b'.repeat(40)])
    },
  },
  {
    id: 101,
    name: 'trust policy quota counts non-whitespace',
    async run(h) {
      const base = JSON.stringify(h.t0())
      const pad = (n: number) => JSON.stringify({ ...h.t0(), Id: 'x'.repeat(n) })
      const over = pad(2049 - base.length - 8)
      expect(over.replace(/\s/gu, '').length).toBe(2049)
      expectError(
        await h.iam({ Action: 'CreateRole', RoleName: 'Big', AssumeRolePolicyDocument: over }),
        409,
        'LimitExceeded',
        'Cannot exceed quota for ACLSizePerRole: 2048',
      )
      const fits = JSON.stringify({ ...h.t0(), Id: 'x'.repeat(2048 - base.length - 8) }, null, 8)
      expect(fits.length).toBeGreaterThan(2048)
      expectOk(
        await h.iam({ Action: 'CreateRole', RoleName: 'Big', AssumeRolePolicyDocument: fits }),
      )
    },
  },
  {
    id: 102,
    name: 'invalid JSON trust policy',
    async run(h) {
      expectError(
        await h.iam({
          Action: 'CreateRole',
          RoleName: 'J',
          AssumeRolePolicyDocument: '{"Version":',
        }),
        400,
        'MalformedPolicyDocument',
        'This policy contains invalid Json',
      )
    },
  },
  {
    id: 103,
    name: 'nonexistent AWS principal',
    async run(h) {
      const doc = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/DoesNotExist` },
            Action: 'sts:AssumeRole',
          },
        ],
      })
      expectError(
        await h.iam({ Action: 'CreateRole', RoleName: 'P', AssumeRolePolicyDocument: doc }),
        400,
        'MalformedPolicyDocument',
        `Invalid principal in policy: "AWS":"arn:aws:iam::${ACCOUNT}:role/DoesNotExist"`,
      )
    },
  },
  {
    id: 104,
    name: 'Resource in a trust policy',
    async run(h) {
      const doc = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ ...allowP(h), Resource: '*' }],
      })
      expectError(
        await h.iam({ Action: 'CreateRole', RoleName: 'Res', AssumeRolePolicyDocument: doc }),
        400,
        'MalformedPolicyDocument',
      )
    },
  },
  {
    id: 105,
    name: 'trust policy with TagSession and SetSourceIdentity',
    async run(h) {
      const doc = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          allowP(h, undefined, [
            'sts:AssumeRoleWithWebIdentity',
            'sts:TagSession',
            'sts:SetSourceIdentity',
          ]),
        ],
      })
      expectOk(
        await h.iam({ Action: 'CreateRole', RoleName: 'Tags', AssumeRolePolicyDocument: doc }),
      )
    },
  },
  {
    id: 106,
    name: 'role names unique case-insensitively',
    async run(h) {
      expectError(
        await h.iam({
          Action: 'CreateRole',
          RoleName: 'r',
          AssumeRolePolicyDocument: JSON.stringify(h.t0()),
        }),
        409,
        'EntityAlreadyExists',
        'Role with name r already exists.',
      )
    },
  },
  {
    id: 107,
    name: 'MaxSessionDuration bounds and default',
    async run(h) {
      const doc = JSON.stringify(h.t0())
      expectError(
        await h.iam({
          Action: 'CreateRole',
          RoleName: 'M',
          AssumeRolePolicyDocument: doc,
          MaxSessionDuration: 3599,
        }),
        400,
        'ValidationError',
      )
      expectError(
        await h.iam({
          Action: 'CreateRole',
          RoleName: 'M',
          AssumeRolePolicyDocument: doc,
          MaxSessionDuration: 43201,
        }),
        400,
        'ValidationError',
      )
      expect(
        expectOk(await h.iam({ Action: 'GetRole', RoleName: 'R' })).Role.MaxSessionDuration,
      ).toBe('3600')
    },
  },
  {
    id: 108,
    name: 'GetRole missing; URL-encoded trust policy',
    async run(h) {
      expectError(
        await h.iam({ Action: 'GetRole', RoleName: 'Nope' }),
        404,
        'NoSuchEntity',
        'The role with name Nope cannot be found.',
      )
      const doc = expectOk(await h.iam({ Action: 'GetRole', RoleName: 'R' })).Role
        .AssumeRolePolicyDocument
      expect(doc.startsWith('%7B%22Version%22')).toBe(true)
      expect(decodeURIComponent(doc)).toBe(JSON.stringify(h.t0()))
    },
  },
  {
    id: 109,
    name: 'role path not in the assumed-role ARN',
    async run(h) {
      expectOk(
        await h.iam({
          Action: 'CreateRole',
          RoleName: 'Pathed',
          Path: '/team/',
          AssumeRolePolicyDocument: JSON.stringify(h.t0()),
        }),
      )
      const r = expectOk(
        await h.assume(await h.issuer.mint(), {
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/team/Pathed`,
        }),
      )
      expect(r.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/Pathed/s1`)
    },
  },
  {
    id: 110,
    name: 'trust policy changes apply at once',
    async run(h) {
      await h.trust([{ Effect: 'Deny', Principal: '*', Action: '*' }])
      expectError(await h.assume(await h.issuer.mint()), 403, 'AccessDenied')
      await h.trust(h.t0().Statement as unknown[])
      expectOk(await h.assume(await h.issuer.mint()))
    },
  },
  {
    id: 111,
    name: 'unknown action, signed or not',
    async run(h) {
      expectError(
        await h.post({ Action: 'Foo', Version: '2011-06-15' }),
        400,
        'InvalidAction',
        'Could not find operation Foo for version 2011-06-15',
      )
      expectError(
        await h.iam({ Action: 'Foo' }),
        400,
        'InvalidAction',
        'Could not find operation Foo for version 2010-05-08',
      )
    },
  },
]

describe('spec: test cases an emulator must pass', () => {
  let issuer: TestIssuer
  let h: Harness
  beforeAll(async () => {
    issuer = await startTestIssuer()
  })
  afterAll(async () => {
    await issuer.close()
  })
  beforeEach(async () => {
    issuer.behavior.delayMs = 0
    issuer.behavior.discoveryStatus = 200
    issuer.behavior.jwksStatus = 200
    h = await startHarness({ issuerInstance: issuer, config: { jwksTimeoutMs: 200 } })
    await h.setup()
    issuer.fetches.discovery = 0
    issuer.fetches.jwks = 0
  })
  afterEach(async () => {
    await h.close()
  })
  it.each(cases.map((c) => [c.id, c.name, c] as const))('%s: %s', async (_id, _name, c) => {
    await c.run(h)
  })
})
