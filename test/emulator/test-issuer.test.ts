import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js'

describe('test issuer', () => {
  let issuer: TestIssuer
  beforeAll(async () => {
    issuer = await startTestIssuer()
  })
  afterAll(async () => {
    await issuer.close()
  })

  it('serves discovery and a JWKS that verifies its tokens', async () => {
    const discovery = (await (
      await fetch(`${issuer.url}/.well-known/openid-configuration`)
    ).json()) as { issuer: string; jwks_uri: string }
    expect(discovery.issuer).toBe(issuer.url)
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: [] }
    const token = await issuer.mint({ sub: 's' })
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: issuer.url })
    expect(payload.sub).toBe('s')
    expect(decodeProtectedHeader(token).kid).toBe('k1')
  })

  it('mints ES256, wrong-key and rotated tokens', async () => {
    const es = await issuer.mint({}, { alg: 'ES256' })
    expect(decodeProtectedHeader(es).alg).toBe('ES256')
    const wrong = await issuer.mint({}, { wrongKey: true })
    await expect(jwtVerify(wrong, createLocalJWKSet(issuer.jwks()))).rejects.toThrow()
    const kid = await issuer.rotate()
    expect(decodeProtectedHeader(await issuer.mint()).kid).toBe(kid)
    expect(issuer.fetches.discovery).toBe(1)
  })
})
