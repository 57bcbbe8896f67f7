/**
 * base64url without Node's Buffer (this layer is pure). Decodes like Buffer does: a trailing
 * character that cannot make a byte is ignored, and invalid UTF-8 becomes U+FFFD.
 */
const B64URL = /^[A-Za-z0-9_-]*$/u

export function isBase64url(text: string): boolean {
  return B64URL.test(text)
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/** Character code → 6-bit value, -1 outside the base64url alphabet. */
const VALUE = new Int8Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i += 1) VALUE[ALPHABET.charCodeAt(i)] = i

/** The 6-bit value of a character code, -1 outside the alphabet. */
function sextet(code: number): number {
  return code < 128 ? (VALUE[code] as number) : -1
}

/**
 * The bytes of a base64url string; the caller checks `isBase64url` first. Four characters make
 * three bytes in one step; text outside the alphabet takes the atob route below, which decides
 * what such text means.
 */
export function base64urlBytes(text: string): Uint8Array {
  const usable = text.length % 4 === 1 ? text.length - 1 : text.length
  const out = new Uint8Array(Math.floor((usable * 3) / 4))
  const whole = usable - (usable % 4)
  let at = 0
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(text.charCodeAt(i))
    const b = sextet(text.charCodeAt(i + 1))
    const c = sextet(text.charCodeAt(i + 2))
    const d = sextet(text.charCodeAt(i + 3))
    if ((a | b | c | d) < 0) return base64urlBytesLoose(text)
    const n = (a << 18) | (b << 12) | (c << 6) | d
    out[at] = n >> 16
    out[at + 1] = (n >> 8) & 0xff
    out[at + 2] = n & 0xff
    at += 3
  }
  if (usable > whole) {
    const a = sextet(text.charCodeAt(whole))
    const b = sextet(text.charCodeAt(whole + 1))
    const c = usable - whole === 3 ? sextet(text.charCodeAt(whole + 2)) : 0
    if ((a | b | c) < 0) return base64urlBytesLoose(text)
    const n = (a << 18) | (b << 12) | (c << 6)
    out[at] = n >> 16
    if (usable - whole === 3) out[at + 1] = (n >> 8) & 0xff
  }
  return out
}

function base64urlBytesLoose(text: string): Uint8Array {
  const usable = text.length % 4 === 1 ? text.slice(0, -1) : text
  const b64 = usable.replace(/-/gu, '+').replace(/_/gu, '/')
  const binary = atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '='))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Stateless between calls (never streaming), so one decoder serves every call. */
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true })

export function base64urlText(text: string): string {
  return UTF8.decode(base64urlBytes(text))
}

export function toBase64url(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/gu, '-').replace(/\//gu, '_').replace(/=+$/u, '')
}
