/**
 * Decoding a web identity token before anything trusts it: three base64url segments, a JSON
 * object header with an allowed `alg`, a JSON object payload, no member name twice in either.
 * Nothing here verifies; each cloud passes the algorithms it accepts.
 */
import { base64urlBytes, base64urlText, isBase64url } from './base64url.js'
import { boundedMemo } from '../shared/bounded-memo.js'
import { findDuplicateMember } from './duplicate-members.js'

export interface DecodedJwt<A extends string = string> {
  readonly header: Readonly<Record<string, unknown>>
  readonly payload: Readonly<Record<string, unknown>>
  readonly alg: A
  readonly kid: string | undefined
  /** `header.payload`, the signed bytes. */
  readonly signingInput: string
  readonly signature: Uint8Array
}

export type DecodeResult<A extends string = string> =
  | { readonly ok: true; readonly jwt: DecodedJwt<A> }
  | { readonly ok: false; readonly reason: string }

/** Header and payload read without any check beyond "JSON objects" (for tools that explain). */
export type SegmentsResult =
  | {
      readonly ok: true
      readonly header: Readonly<Record<string, unknown>>
      readonly payload: Readonly<Record<string, unknown>>
      readonly signature: string
    }
  | { readonly ok: false; readonly reason: string }

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
  if (segment === '' || !isBase64url(segment)) return `${what} is not base64url`
  const text = base64urlText(segment)
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

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

/**
 * Decoded header segments, by their exact text. A pure function of the text (an issuer's tokens
 * share one header), kept frozen so that no caller can change what another one reads; nothing
 * about the token's signature or claims is kept. Bounded: more distinct headers and it starts over.
 */
const headerJson = boundedMemo(64, (segment) => deepFreeze(segmentJson(segment, 'header')))

/** The three segments: JWE and segment counts refused, header and payload JSON objects. */
export function readJwtSegments(token: string): SegmentsResult {
  const dot1 = token.indexOf('.')
  const dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1)
  if (dot2 < 0 || token.includes('.', dot2 + 1)) {
    const count = token.split('.').length
    if (count === 5)
      return {
        ok: false,
        reason: 'the token is a JWE (5 segments); only signed JWTs are supported',
      }
    return { ok: false, reason: `the token has ${count} segments, not 3` }
  }
  const h = token.slice(0, dot1)
  const p = token.slice(dot1 + 1, dot2)
  const s = token.slice(dot2 + 1)
  const header = headerJson(h)
  if (typeof header === 'string') return { ok: false, reason: header }
  const payload = segmentJson(p, 'payload')
  if (typeof payload === 'string') return { ok: false, reason: payload }
  return { ok: true, header, payload, signature: s }
}

function isOneOf<A extends string>(value: unknown, allowed: readonly A[]): value is A {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
}

/** Decodes a compact JWS whose `alg` is one of `algorithms`; refuses `crit` and a non-string kid. */
export function decodeJwt<A extends string>(
  token: string,
  algorithms: readonly A[],
): DecodeResult<A> {
  const read = readJwtSegments(token)
  if (!read.ok) return read
  const { header, payload, signature: s } = read
  if (!isBase64url(s) || s === '')
    return { ok: false, reason: 'the signature is missing or not base64url' }
  const alg = header['alg']
  if (!isOneOf(alg, algorithms))
    return {
      ok: false,
      reason: `alg ${JSON.stringify(alg)} is not allowed (only ${algorithms.join(', ')})`,
    }
  if (header['crit'] !== undefined) return { ok: false, reason: 'the header has a crit member' }
  const kid = header['kid']
  if (kid !== undefined && typeof kid !== 'string')
    return { ok: false, reason: 'kid is not a string' }
  const dot = token.lastIndexOf('.')
  return {
    ok: true,
    jwt: {
      header,
      payload,
      alg,
      kid,
      signingInput: token.slice(0, dot),
      signature: base64urlBytes(s),
    },
  }
}
