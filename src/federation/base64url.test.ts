import { describe, expect, it } from 'vitest'
import { base64urlBytes, base64urlText, isBase64url, toBase64url } from './base64url.js'

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

/** base64url by another route (btoa and the alphabet swap of RFC 4648 §5), to check against. */
function encodedElsewhere(data: Uint8Array): string {
  let binary = ''
  for (const b of data) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/gu, '-').replace(/\//gu, '_').replace(/=+$/u, '')
}

/** RFC 4648 §10's vectors, without padding, and the two characters base64url changes. */
const VECTORS: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['', []],
  ['Zg', [...'f'].map((c) => c.charCodeAt(0))],
  ['Zm8', [...'fo'].map((c) => c.charCodeAt(0))],
  ['Zm9v', [...'foo'].map((c) => c.charCodeAt(0))],
  ['Zm9vYg', [...'foob'].map((c) => c.charCodeAt(0))],
  ['Zm9vYmE', [...'fooba'].map((c) => c.charCodeAt(0))],
  ['Zm9vYmFy', [...'foobar'].map((c) => c.charCodeAt(0))],
  ['-_8', [0xfb, 0xff]],
]

describe('base64urlBytes', () => {
  for (const [text, expected] of VECTORS)
    it(`decodes ${JSON.stringify(text)}`, () => {
      expect(isBase64url(text)).toBe(true)
      expect([...base64urlBytes(text)]).toEqual(expected)
    })

  it('every length from 0 to 300, and a stray last character', () => {
    for (let n = 0; n <= 300; n += 1) {
      const data = bytes(n, n)
      const text = encodedElsewhere(data)
      expect(isBase64url(text)).toBe(true)
      expect([...base64urlBytes(text)], `length ${n}`).toEqual([...data])
      // A length of 4k+1 cannot end in a whole byte: the last character is ignored.
      const stray = `${text}${text.length % 4 === 0 ? 'A' : ''}`
      if (stray.length % 4 === 1)
        expect([...base64urlBytes(stray)], `stray ${n}`).toEqual([...data])
    }
  })

  it('text outside the alphabet is refused by isBase64url', () => {
    for (const text of ['ab+c', 'ab/c', 'ab==', 'a b', 'é']) expect(isBase64url(text)).toBe(false)
  })
})

describe('base64urlText and toBase64url', () => {
  it('decode UTF-8 and keep no state between calls', () => {
    const parts = ['{"sub":"é"}', '{"aud":"😀"}', '']
    for (const p of [...parts, ...parts]) {
      expect(toBase64url(p)).toBe(encodedElsewhere(new TextEncoder().encode(p)))
      expect(base64urlText(toBase64url(p))).toBe(p)
    }
    // Invalid UTF-8 becomes U+FFFD, and does not leak into the next call.
    expect(base64urlText(encodedElsewhere(new Uint8Array([0xc3])))).toBe('\uFFFD')
    expect(base64urlText(toBase64url('ok'))).toBe('ok')
  })
})
