/**
 * base64url for token segments, on Node's native codec (Buffer). A hand-written decoder kept this
 * layer free of Buffer until a profile showed it cost 6% of AssumeRoleWithWebIdentity's
 * throughput (BENCHMARKS.md "Where the time goes"); decoding is still a pure function of the text.
 * A trailing character that cannot make a byte is ignored, and invalid UTF-8 becomes U+FFFD.
 */
const B64URL = /^[A-Za-z0-9_-]*$/u

export function isBase64url(text: string): boolean {
  return B64URL.test(text)
}

/** The bytes of a base64url string; the caller checks `isBase64url` first. */
export function base64urlBytes(text: string): Uint8Array {
  return Buffer.from(text, 'base64url')
}

/** Stateless between calls (never streaming), so one decoder serves every call. */
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true })

export function base64urlText(text: string): string {
  return UTF8.decode(base64urlBytes(text))
}

export function toBase64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url')
}
