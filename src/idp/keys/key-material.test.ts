import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { importJWK, jwtVerify, SignJWT, type JWK } from 'jose'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../../test/support/cli.js'
import { generateKeyMaterial, importSigningKey, publicJwkOf, thumbprint } from './key-material.js'

interface ThumbprintVector {
  readonly title: string
  readonly jwk: JWK
  readonly canonical: string
  readonly thumbprint: string
}

const vectors = JSON.parse(
  readFileSync(join(REPO_ROOT, 'test/vectors/jwk-thumbprint/rfc7638.json'), 'utf8'),
) as ThumbprintVector[]

describe('kid = RFC 7638 thumbprint', () => {
  it.each(vectors)('$title', async (v) => {
    expect(await thumbprint(v.jwk)).toBe(v.thumbprint)
    // The vector is self-consistent: the thumbprint is SHA-256 of the canonical members.
    expect(createHash('sha256').update(v.canonical).digest('base64url')).toBe(v.thumbprint)
  })
})

describe('generateKeyMaterial', () => {
  it.each(['RS256', 'ES256'] as const)('%s: public JWK has public members only', async (alg) => {
    const m = await generateKeyMaterial(alg)
    expect(m.kid).toBe(await thumbprint(m.publicJwk))
    const expectedMembers =
      alg === 'RS256'
        ? ['alg', 'e', 'kid', 'kty', 'n', 'use']
        : ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']
    expect(Object.keys(m.publicJwk).sort()).toEqual(expectedMembers)
    expect(m.publicJwk).toMatchObject({ alg, use: 'sig', kid: m.kid })
    if (alg === 'RS256') {
      expect(Buffer.from(m.publicJwk.n ?? '', 'base64url').length * 8).toBe(2048)
      expect(m.publicJwk.e).toBe('AQAB')
    } else {
      expect(m.publicJwk.crv).toBe('P-256')
    }
    expect(m.privateJwk.d).toBeTypeOf('string')

    const key = await importSigningKey(m.privateJwk, alg)
    const jwt = await new SignJWT({ a: 1 }).setProtectedHeader({ alg, kid: m.kid }).sign(key)
    const { payload } = await jwtVerify(jwt, await importJWK(m.publicJwk, alg))
    expect(payload['a']).toBe(1)
  })

  it('publicJwkOf drops private members', () => {
    const jwk = publicJwkOf({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'secret' }, 'k', 'ES256')
    expect(jwk).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: 'x',
      y: 'y',
      kid: 'k',
      alg: 'ES256',
      use: 'sig',
    })
  })
})
