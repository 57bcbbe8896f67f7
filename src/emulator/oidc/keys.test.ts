import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../shared/clock.js'
import type { AwsAlgorithm } from '../../federation/aws/token.js'
import type { DecodedJwt as AnyJwt } from '../../federation/jwt.js'

type DecodedJwt = AnyJwt<AwsAlgorithm>
import { IssuerKeys } from './keys.js'

interface TestKey {
  readonly kid: string
  readonly privateKey: KeyObject
  readonly jwk: Record<string, unknown>
}

function newKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256' } }
}

function token(key: TestKey, kid = key.kid): DecodedJwt {
  const header = { alg: 'RS256', kid }
  const payload = { sub: 'x' }
  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')
  const signingInput = `${b64(header)}.${b64(payload)}`
  return {
    header,
    payload,
    alg: 'RS256',
    kid,
    signingInput,
    signature: sign('sha256', Buffer.from(signingInput), key.privateKey),
  }
}

/** A local issuer that counts JWKS fetches and answers each after a delay. */
let server: Server
let issuer: string
let published: TestKey[] = []
let jwksFetches = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks.json` }))
      return
    }
    jwksFetches += 1
    setTimeout(() => res.end(JSON.stringify({ keys: published.map((k) => k.jwk) })), 150)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const settings = {
  timeoutMs: 5000,
  allowHttp: true,
  maxBytes: 1024 * 1024,
  cacheTtlMs: 3_600_000,
  refetchIntervalMs: 60_000,
  verifyThumbprints: false,
}

describe('IssuerKeys refetch on an unknown kid', () => {
  it('lets concurrent callers with a new kid share the one refetch in flight', async () => {
    const clock = new ManualClock()
    const keys = new IssuerKeys(settings, clock)
    const first = newKey('k1')
    const second = newKey('k2')
    published = [first]
    jwksFetches = 0
    expect(await keys.verify(issuer, token(first), [])).toEqual({ ok: true, kid: 'k1' })
    expect(jwksFetches).toBe(1)

    // The new key is published (a rotation), and twelve exchanges present it at once.
    published = [first, second]
    clock.advance(1000)
    const results = await Promise.all(
      Array.from({ length: 12 }, () => keys.verify(issuer, token(second), [])),
    )
    expect(results).toEqual(Array.from({ length: 12 }, () => ({ ok: true, kid: 'k2' })))
    expect(jwksFetches).toBe(2)
  })

  const refused = [
    { name: 'a kid no refetch finds', kid: 'k-unknown', fetchesAfter: 2 },
    { name: 'a second unknown kid within the refetch interval', kid: 'k-other', fetchesAfter: 2 },
  ]
  it.each(refused)('refuses $name, refetching at most once per interval', async (testCase) => {
    const clock = new ManualClock()
    const keys = new IssuerKeys(settings, clock)
    const only = newKey('k1')
    published = [only]
    jwksFetches = 0
    await keys.verify(issuer, token(only), [])
    const stranger = newKey('stranger')
    const first = await keys.verify(issuer, token(stranger, 'k-unknown'), [])
    expect(first).toMatchObject({ ok: false, kind: 'no-key' })
    const again = await keys.verify(issuer, token(stranger, testCase.kid), [])
    expect(again).toMatchObject({ ok: false, kind: 'no-key' })
    expect(jwksFetches).toBe(testCase.fetchesAfter)
  })
})
