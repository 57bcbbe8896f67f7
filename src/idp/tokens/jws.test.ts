import { webcrypto } from 'node:crypto'
import { SignJWT, exportJWK, importJWK, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { signJwt } from './jws.js'

const claims = { iss: 'http://127.0.0.1:8080', sub: 'a:b', aud: 'aws', iat: 1, exp: 2, x: 'é' }

describe('signJwt', () => {
  it('gives the token jose gives for RS256 (deterministic), which jose verifies', async () => {
    const pair = await webcrypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )
    const token = await signJwt(claims, 'RS256', 'k1', pair.privateKey)
    const viaJose = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
      .sign(pair.privateKey)
    expect(token).toBe(viaJose)
    const { payload, protectedHeader } = await jwtVerify(token, pair.publicKey, {
      currentDate: new Date(1500),
    })
    expect(payload).toEqual(claims)
    expect(protectedHeader).toEqual({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
  })

  it('signs ES256 in the JWS form (r ‖ s) that jose verifies', async () => {
    const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])
    const token = await signJwt(claims, 'ES256', 'k2', pair.privateKey)
    const publicKey = await importJWK(await exportJWK(pair.publicKey), 'ES256')
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
      currentDate: new Date(1500),
    })
    expect(payload).toEqual(claims)
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: 'k2', typ: 'JWT' })
  })

  it('refuses a key of another algorithm', async () => {
    const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])
    await expect(signJwt(claims, 'RS256', 'k3', pair.privateKey)).rejects.toThrow(/cannot sign/u)
  })
})
