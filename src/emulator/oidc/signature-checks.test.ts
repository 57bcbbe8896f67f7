import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../shared/clock.js'
import type { DecodedJwt } from '../../federation/jwt.js'
import { IssuerKeys } from './keys.js'
import { checkSignature, verifiesOnPool } from './signature-checks.js'

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })

function jwk(publicKey: KeyObject, extra: Record<string, string>): Record<string, unknown> {
  return { ...publicKey.export({ format: 'jwk' }), ...extra }
}

function jwt(alg: 'RS256' | 'ES256', key: KeyObject, kid?: string): DecodedJwt {
  const header = kid === undefined ? { alg } : { alg, kid }
  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')
  const signingInput = `${b64(header)}.${b64({ sub: 'x' })}`
  const signature =
    alg === 'RS256'
      ? sign('sha256', Buffer.from(signingInput), key)
      : sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' })
  return { header, payload: { sub: 'x' }, alg, kid, signingInput, signature }
}

function tampered(token: DecodedJwt): DecodedJwt {
  const signature = Buffer.from(token.signature)
  signature[10] = (signature[10] ?? 0) ^ 0xff
  return { ...token, signature }
}

const JWKS = {
  keys: [
    jwk(otherRsa.publicKey, { alg: 'RS256' }), // no kid: tried first, does not verify
    jwk(rsa.publicKey, { kid: 'rsa', alg: 'RS256' }),
    jwk(ec.publicKey, { kid: 'ec', alg: 'ES256' }),
  ],
}

/** Name, token, verdict; every case but the one of the wrong length runs a check. */
const CASES: ReadonlyArray<readonly [string, DecodedJwt, unknown, boolean?]> = [
  ['an RS256 token with its kid', jwt('RS256', rsa.privateKey, 'rsa'), { ok: true, kid: 'rsa' }],
  [
    'an RS256 token without a kid: the second candidate key verifies',
    jwt('RS256', rsa.privateKey),
    { ok: true, kid: 'rsa' },
  ],
  ['an ES256 token', jwt('ES256', ec.privateKey, 'ec'), { ok: true, kid: 'ec' }],
  [
    'a tampered RS256 signature',
    tampered(jwt('RS256', rsa.privateKey, 'rsa')),
    { ok: false, kind: 'bad-signature', reason: 'the RS256 signature does not verify' },
  ],
  [
    'a tampered RS256 signature without a kid (every candidate fails)',
    tampered(jwt('RS256', rsa.privateKey)),
    { ok: false, kind: 'bad-signature', reason: 'the RS256 signature does not verify' },
  ],
  [
    'a tampered ES256 signature',
    tampered(jwt('ES256', ec.privateKey, 'ec')),
    { ok: false, kind: 'bad-signature', reason: 'the ES256 signature does not verify' },
  ],
  [
    'an ES256 signature of the wrong length',
    { ...jwt('ES256', ec.privateKey, 'ec'), signature: Buffer.alloc(70) },
    { ok: false, kind: 'bad-signature', reason: 'the ES256 signature does not verify' },
    false,
  ],
  [
    'an RS256 token signed by a key the JWKS does not hold under its kid',
    jwt('RS256', otherRsa.privateKey, 'rsa'),
    { ok: false, kind: 'bad-signature', reason: 'the RS256 signature does not verify' },
  ],
]

const settings = {
  timeoutMs: 1000,
  allowHttp: true,
  maxBytes: 1024 * 1024,
  cacheTtlMs: 60_000,
  refetchIntervalMs: 1000,
  verifyThumbprints: false,
}

describe('signature checks on the main thread and on the threadpool', () => {
  for (const onPool of [false, true]) {
    const keys = new IssuerKeys({ ...settings, verifyOnPool: onPool }, new ManualClock())
    for (const [name, token, expected, checked = true] of CASES)
      it(`${onPool ? 'pool' : 'main'}: ${name}`, async () => {
        const result = keys.verifyWithJwks(JWKS, token)
        // A promise exactly when a check ran on the threadpool.
        expect(result instanceof Promise).toBe(onPool && checked)
        expect(await result).toEqual(expected)
      })
  }

  it('answers false, not an exception, for a key that cannot check the signature', async () => {
    const check = {
      hash: 'no-such-hash',
      data: Buffer.from('x'),
      key: rsa.publicKey,
      signature: Buffer.alloc(256),
    }
    expect(checkSignature(check, false)).toBe(false)
    expect(await checkSignature(check, true)).toBe(false)
  })
})

describe('verifiesOnPool', () => {
  const cases: ReadonlyArray<readonly ['auto' | 'main' | 'pool', number, boolean]> = [
    ['auto', 1, false],
    ['auto', 2, true],
    ['auto', 16, true],
    ['main', 8, false],
    ['pool', 1, true],
  ]
  for (const [on, cores, expected] of cases)
    it(`${on} on ${cores} core(s): ${expected ? 'threadpool' : 'main thread'}`, () =>
      expect(verifiesOnPool(on, cores)).toBe(expected))
})
