/**
 * Decoding a web identity token before anything trusts it: three base64url segments, a JSON
 * object header with an allowed `alg`, a JSON object payload, no member name twice in either.
 * Nothing here verifies.
 */
import { findDuplicateMember } from './duplicate-members.js'

export const ALLOWED_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const
export type AllowedAlg = (typeof ALLOWED_ALGS)[number]

export interface DecodedJwt {
  readonly header: Readonly<Record<string, unknown>>
  readonly payload: Readonly<Record<string, unknown>>
  readonly alg: AllowedAlg
  readonly kid: string | undefined
  /** `header.payload`, the signed bytes. */
  readonly signingInput: string
  readonly signature: Buffer
}

export type DecodeResult =
  { readonly ok: true; readonly jwt: DecodedJwt } | { readonly ok: false; readonly reason: string }

const B64URL = /^[A-Za-z0-9_-]*$/u
/** Deepest JSON nesting accepted in a token segment (claims are flat in practice). */
const MAX_DEPTH = 20

/** How many times `c` occurs, stopping early past `limit` (native indexOf: cheap for real tokens). */
function occurrences(text: string, c: string, limit: number): number {
  let n = 0
  for (let i = text.indexOf(c); i >= 0 && n <= limit; i = text.indexOf(c, i + 1)) n += 1
  return n
}

function depthWithin(text: string, max: number): boolean {
  if (occurrences(text, '[', max) + occurrences(text, '{', max) <= max) return true
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i += 1
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      depth += 1
      if (depth > max) return false
    } else if (c === 0x7d || c === 0x5d) depth -= 1
  }
  return true
}

function segmentJson(segment: string, what: string): Record<string, unknown> | string {
  if (segment === '' || !B64URL.test(segment)) return `${what} is not base64url`
  const text = Buffer.from(segment, 'base64url').toString('utf8')
  if (!depthWithin(text, MAX_DEPTH)) return `${what} JSON is nested deeper than ${MAX_DEPTH}`
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return `${what} is not JSON`
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `${what} is not a JSON object`
  const duplicate = findDuplicateMember(text)
  if (duplicate !== undefined)
    return `${what} has the member ${JSON.stringify(duplicate)} more than once`
  return value as Record<string, unknown>
}

export function decodeJwt(token: string): DecodeResult {
  const parts = token.split('.')
  if (parts.length === 5)
    return { ok: false, reason: 'the token is a JWE (5 segments); only signed JWTs are supported' }
  if (parts.length !== 3)
    return { ok: false, reason: `the token has ${parts.length} segments, not 3` }
  const [h, p, s] = parts as [string, string, string]
  const header = segmentJson(h, 'header')
  if (typeof header === 'string') return { ok: false, reason: header }
  const payload = segmentJson(p, 'payload')
  if (typeof payload === 'string') return { ok: false, reason: payload }
  if (!B64URL.test(s) || s === '')
    return { ok: false, reason: 'the signature is missing or not base64url' }
  const alg = header['alg']
  if (typeof alg !== 'string' || !(ALLOWED_ALGS as readonly string[]).includes(alg))
    return {
      ok: false,
      reason: `alg ${JSON.stringify(alg)} is not allowed (only ${ALLOWED_ALGS.join(', ')})`,
    }
  if (header['crit'] !== undefined) return { ok: false, reason: 'the header has a crit member' }
  const kid = header['kid']
  if (kid !== undefined && typeof kid !== 'string')
    return { ok: false, reason: 'kid is not a string' }
  return {
    ok: true,
    jwt: {
      header,
      payload,
      alg: alg as AllowedAlg,
      kid,
      signingInput: `${h}.${p}`,
      signature: Buffer.from(s, 'base64url'),
    },
  }
}
