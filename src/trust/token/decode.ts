/**
 * `decodeToken`: a JWT's header and claims, its times in words, its session tags, and every reason
 * AWS would refuse it (docs/aws-behaviour.md §4, §10). Offline: the signature is never checked.
 */
import { systemClock } from '../../shared/clock.js'
import { KeylessError } from '../../shared/errors.js'
import { isLoopbackHost } from '../../shared/config/options.js'
import type { SessionTag } from '../../policy/index.js'
import { extractSessionTags, SOURCE_IDENTITY_CLAIM } from './session-tags.js'
import { relativeWords } from '../../federation/words.js'
import { AWS_ALGORITHMS, isAwsAlgorithm } from '../../federation/aws/token.js'

export interface TokenTime {
  readonly claim: 'iat' | 'nbf' | 'exp'
  readonly value: number
  readonly iso: string
  /** "expires in 9 min", "issued 2 min ago". */
  readonly words: string
}

export interface DecodedToken {
  readonly header: Readonly<Record<string, unknown>>
  readonly claims: Readonly<Record<string, unknown>>
  readonly times: readonly TokenTime[]
  readonly expired: boolean
  readonly sessionTags: readonly SessionTag[]
  readonly transitiveTagKeys: readonly string[]
  /** Everything AWS would refuse or that will likely fail, one sentence each. */
  readonly warnings: readonly string[]
  /** Always false: decoding never verifies the signature. */
  readonly signatureChecked: false
}

function b64json(segment: string, what: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]*$/u.test(segment))
    throw new KeylessError('input_unreadable', `not a JWT: the ${what} is not base64url`)
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
  } catch {
    throw new KeylessError(
      'input_unreadable',
      `not a JWT: the ${what} is not base64url-encoded JSON`,
    )
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new KeylessError('input_unreadable', `not a JWT: the ${what} is not a JSON object`)
  return value as Record<string, unknown>
}

/** Decodes a compact JWS without verifying it. Throws `input_unreadable` when it is not a JWT. */
export function decodeToken(jwt: string, now: Date = systemClock.now()): DecodedToken {
  const token = jwt.trim()
  const parts = token.split('.')
  if (parts.length === 5)
    throw new KeylessError(
      'input_unreadable',
      'this is an encrypted token (JWE, 5 segments); AWS accepts only signed JWTs (JWS, 3 segments)',
    )
  if (parts.length !== 3)
    throw new KeylessError(
      'input_unreadable',
      `not a JWT: expected 3 dot-separated segments (header.payload.signature), got ${parts.length}`,
    )
  const header = b64json(parts[0] ?? '', 'header')
  const claims = b64json(parts[1] ?? '', 'payload')
  const warnings: string[] = []
  const nowS = Math.floor(now.getTime() / 1000)

  if (token.length > 20000)
    warnings.push(`the token is ${token.length} characters; STS accepts at most 20000`)
  const alg = header['alg']
  if (!isAwsAlgorithm(alg))
    warnings.push(
      `alg ${JSON.stringify(alg)} is not accepted by AWS (only ${AWS_ALGORITHMS.join(', ')})`,
    )
  if (header['kid'] === undefined)
    warnings.push('no kid in the header: STS looks the key up by kid in the JWKS')
  if ((parts[2] ?? '') === '') warnings.push('the signature segment is empty (an unsigned token)')

  const iss = claims['iss']
  if (typeof iss !== 'string') warnings.push('no iss claim: STS cannot find the provider')
  else {
    let url: URL | undefined
    try {
      url = new URL(iss)
    } catch {
      warnings.push(`iss ${JSON.stringify(iss)} is not a URL`)
    }
    if (url !== undefined && url.protocol !== 'https:')
      warnings.push(
        isLoopbackHost(url.hostname)
          ? `iss is http:// on a loopback address: accepted by the keyless emulator only; AWS requires https://`
          : `iss is not https://; AWS requires an https issuer`,
      )
  }
  const aud = claims['aud']
  if (aud === undefined) warnings.push('no aud claim: STS answers "Missing a required claim: aud"')
  else if (Array.isArray(aud))
    warnings.push(`aud is an array (${aud.length} values); AWS documents a single audience`)
  else if (typeof aud !== 'string') warnings.push('aud is not a string')
  if (typeof claims['sub'] !== 'string') warnings.push('no sub claim (a string)')

  const times: TokenTime[] = []
  let expired = false
  for (const claim of ['iat', 'nbf', 'exp'] as const) {
    const v = claims[claim]
    if (v === undefined) {
      if (claim === 'exp') warnings.push('no exp claim: STS requires an expiry')
      continue
    }
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      warnings.push(
        `${claim} is ${JSON.stringify(v)}; STS requires an integer (seconds since 1970)`,
      )
      continue
    }
    const rel = relativeWords(v, nowS)
    const words =
      claim === 'exp'
        ? v <= nowS
          ? `expired ${rel}`
          : `expires ${rel}`
        : claim === 'iat'
          ? `issued ${rel}`
          : v > nowS
            ? `valid ${rel}`
            : `valid since ${rel}`
    times.push({ claim, value: v, iso: new Date(v * 1000).toISOString(), words })
    if (claim === 'exp' && v <= nowS) {
      expired = true
      warnings.push(
        `expired: STS answers ExpiredTokenException "Token expired: current date/time ${nowS} must be before the expiration date/time ${v}"`,
      )
    }
    if (claim === 'nbf' && v > nowS + 300) warnings.push('nbf is more than 5 min in the future')
    if (claim === 'iat' && v > nowS + 300) warnings.push('iat is in the future (clock skew?)')
  }

  const tags = extractSessionTags(claims)
  warnings.push(...tags.problems.map((p) => `session tags: ${p}`))
  const sourceIdentity = claims[SOURCE_IDENTITY_CLAIM]
  if (
    sourceIdentity !== undefined &&
    (typeof sourceIdentity !== 'string' ||
      !/^[\w+=,.@-]{2,64}$/u.test(sourceIdentity) ||
      sourceIdentity.toLowerCase().startsWith('aws:'))
  )
    warnings.push(
      'source_identity must be 2–64 characters of [\\w+=,.@-] and not start with "aws:"',
    )

  return {
    header,
    claims,
    times,
    expired,
    sessionTags: tags.tags,
    transitiveTagKeys: tags.transitiveTagKeys,
    warnings,
    signatureChecked: false,
  }
}

/** The text `keyless token decode` prints. */
export function formatDecodedToken(decoded: DecodedToken): string {
  const lines: string[] = ['Header']
  const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v))
  for (const [k, v] of Object.entries(decoded.header)) lines.push(`  ${k}: ${show(v)}`)
  lines.push('Claims')
  for (const [k, v] of Object.entries(decoded.claims)) {
    if (k === 'https://aws.amazon.com/tags') continue
    const time = decoded.times.find((t) => t.claim === k)
    lines.push(`  ${k}: ${show(v)}${time === undefined ? '' : `  (${time.iso}, ${time.words})`}`)
  }
  if (decoded.sessionTags.length > 0) {
    lines.push('Session tags (https://aws.amazon.com/tags)')
    const transitive = new Set(decoded.transitiveTagKeys.map((k) => k.toLowerCase()))
    for (const t of decoded.sessionTags)
      lines.push(
        `  ${t.key} = ${t.value}${transitive.has(t.key.toLowerCase()) ? '  (transitive)' : ''}`,
      )
  }
  if (decoded.warnings.length > 0) {
    lines.push('Warnings (what AWS would reject)')
    for (const w of decoded.warnings) lines.push(`  ! ${w}`)
  }
  lines.push(
    'Signature: not checked (decode only; `keyless explain` and STS verify against the JWKS)',
  )
  return `${lines.join('\n')}\n`
}
