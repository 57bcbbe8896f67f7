/**
 * base64url without Node's Buffer (this layer is pure). Decodes like Buffer does: a trailing
 * character that cannot make a byte is ignored, and invalid UTF-8 becomes U+FFFD.
 */
const B64URL = /^[A-Za-z0-9_-]*$/u

export function isBase64url(text: string): boolean {
  return B64URL.test(text)
}

/** The bytes of a base64url string; the caller checks `isBase64url` first. */
export function base64urlBytes(text: string): Uint8Array {
  const usable = text.length % 4 === 1 ? text.slice(0, -1) : text
  const b64 = usable.replace(/-/gu, '+').replace(/_/gu, '/')
  const binary = atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '='))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function base64urlText(text: string): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(base64urlBytes(text))
}

export function toBase64url(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/gu, '-').replace(/\//gu, '_').replace(/=+$/u, '')
}
