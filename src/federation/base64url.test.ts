import { describe, expect, it } from 'vitest'
import { base64urlBytes, base64urlText, isBase64url } from './base64url.js'

/** Deterministic bytes, so a failure names its case. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  let x = seed * 2654435761
  for (let i = 0; i < n; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

describe('base64urlBytes decodes as Buffer does', () => {
  it('every length from 0 to 300, and a stray last character', () => {
    for (let n = 0; n <= 300; n += 1) {
      const text = Buffer.from(bytes(n, n)).toString('base64url')
      expect(isBase64url(text)).toBe(true)
      expect(Buffer.from(base64urlBytes(text)), `length ${n}`).toEqual(
        Buffer.from(text, 'base64url'),
      )
      // A length of 4k+1 cannot end in a whole byte: the last character is ignored.
      const stray = `${text}${text.length % 4 === 0 ? 'A' : ''}`
      expect(Buffer.from(base64urlBytes(stray)), `stray ${n}`).toEqual(
        Buffer.from(stray, 'base64url'),
      )
    }
  })

  it('text outside the alphabet still decodes (the caller checks isBase64url)', () => {
    for (const text of ['ab+c', 'ab/c', 'ab==', 'YWJj']) {
      expect(isBase64url(text)).toBe(text === 'YWJj')
      expect(base64urlBytes(text)).toBeInstanceOf(Uint8Array)
    }
    expect(Buffer.from(base64urlBytes('YWJj')).toString()).toBe('abc')
  })

  it('base64urlText decodes UTF-8 and keeps no state between calls', () => {
    const parts = ['{"sub":"é"}', '{"aud":"😀"}', '']
    for (const p of [...parts, ...parts])
      expect(base64urlText(Buffer.from(p).toString('base64url'))).toBe(p)
    // Invalid UTF-8 becomes U+FFFD, and does not leak into the next call.
    expect(base64urlText(Buffer.from([0xc3]).toString('base64url'))).toBe('\uFFFD')
    expect(base64urlText(Buffer.from('ok').toString('base64url'))).toBe('ok')
  })
})
