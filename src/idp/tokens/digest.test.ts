import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { canonicalJson, claimsDigest } from './digest.js'

describe('claims digest', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    )
  })

  it('is the SHA-256 hex of the canonical JSON, whatever the key order', () => {
    const a = claimsDigest({ iss: 'https://i', sub: 's', exp: 2 })
    const b = claimsDigest({ exp: 2, sub: 's', iss: 'https://i' })
    expect(a).toBe(b)
    expect(a).toBe(
      createHash('sha256').update('{"exp":2,"iss":"https://i","sub":"s"}').digest('hex'),
    )
    expect(a).toMatch(/^[0-9a-f]{64}$/u)
  })
})
