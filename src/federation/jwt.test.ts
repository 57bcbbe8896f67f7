import { describe, expect, it } from 'vitest'
import { toBase64url } from './base64url.js'
import { decodeJwt, readJwtSegments } from './jwt.js'

const header = toBase64url(JSON.stringify({ alg: 'RS256', kid: 'k1' }))
const payload = toBase64url(JSON.stringify({ sub: 'repo:org/app', aud: 'sts.amazonaws.com' }))

/** Token text → the reason it is refused, or undefined when its three segments read. */
const CASES: ReadonlyArray<readonly [string, string, string | undefined]> = [
  ['empty text', '', 'the token has 1 segments, not 3'],
  ['one segment', header, 'the token has 1 segments, not 3'],
  ['two segments', `${header}.${payload}`, 'the token has 2 segments, not 3'],
  ['four segments', `${header}.${payload}.c2ln.x`, 'the token has 4 segments, not 3'],
  ['a JWE', 'a.b.c.d.e', 'the token is a JWE (5 segments); only signed JWTs are supported'],
  ['six segments', 'a.b.c.d.e.f', 'the token has 6 segments, not 3'],
  ['an empty header', `.${payload}.c2ln`, 'header is not base64url'],
  ['a payload that is not JSON', `${header}.${toBase64url('nope')}.c2ln`, 'payload is not JSON'],
  ['three segments', `${header}.${payload}.c2ln`, undefined],
  ['three segments, the last empty', `${header}.${payload}.`, undefined],
]

describe('readJwtSegments', () => {
  for (const [name, token, reason] of CASES)
    it(name, () => {
      const read = readJwtSegments(token)
      if (reason === undefined) {
        expect(read).toMatchObject({ ok: true, header: { alg: 'RS256', kid: 'k1' } })
        expect(read.ok && read.payload).toEqual({ sub: 'repo:org/app', aud: 'sts.amazonaws.com' })
        expect(read.ok && read.signature).toBe(token.slice(token.lastIndexOf('.') + 1))
      } else expect(read).toEqual({ ok: false, reason })
    })

  it('decodeJwt gives the signed bytes and the signature', () => {
    const decoded = decodeJwt(`${header}.${payload}.c2ln`, ['RS256'])
    expect(decoded.ok && decoded.jwt.signingInput).toBe(`${header}.${payload}`)
    expect(decoded.ok && [...decoded.jwt.signature]).toEqual([...Buffer.from('sig')])
    expect(decoded.ok && decoded.jwt.kid).toBe('k1')
  })
})
