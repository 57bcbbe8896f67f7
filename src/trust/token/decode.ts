/**
 * `decodeToken`: a JWT's header and claims, its times in words, its session tags, and every reason
 * AWS would refuse it (docs/aws-behaviour.md §4, §10). Offline: the signature is never checked.
 */
import { systemClock } from '../../shared/clock.js'
import { KeylessError } from '../../shared/errors.js'
import { isLoopbackHost } from '../../shared/config/options.js'
import type { SessionTag } from '../../policy/index.js'
import { expiredMessage } from '../../federation/aws/errors.js'
import { readSessionTags, readSourceIdentity } from '../../federation/aws/session-tags.js'
import { AWS_ALGORITHMS, isAwsAlgorithm } from '../../federation/aws/token.js'
import { MAX_SUBJECT_BYTES, utf8Bytes } from '../../federation/gcp/mapping.js'
import { relativeWords } from '../../federation/words.js'

type Claims = Readonly<Record<string, unknown>>

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

function segmentsOf(token: string): readonly string[] {
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
  return parts
}

function formWarnings(token: string, header: Claims, signature: string): string[] {
  const warnings: string[] = []
  if (token.length > 20000)
    warnings.push(`the token is ${token.length} characters; STS accepts at most 20000`)
  const alg = header['alg']
  if (!isAwsAlgorithm(alg))
    warnings.push(
      `alg ${JSON.stringify(alg)} is not accepted by AWS (only ${AWS_ALGORITHMS.join(', ')})`,
    )
  if (header['kid'] === undefined)
    warnings.push('no kid in the header: STS looks the key up by kid in the JWKS')
  if (signature === '') warnings.push('the signature segment is empty (an unsigned token)')
  return warnings
}

function issuerWarnings(iss: unknown): string[] {
  if (typeof iss !== 'string') return ['no iss claim: STS cannot find the provider']
  let url: URL
  try {
    url = new URL(iss)
  } catch {
    return [`iss ${JSON.stringify(iss)} is not a URL`]
  }
  if (url.protocol === 'https:') return []
  return [
    isLoopbackHost(url.hostname)
      ? `iss is http:// on a loopback address: accepted by the keyless emulator only; AWS requires https://`
      : `iss is not https://; AWS requires an https issuer`,
  ]
}

function claimWarnings(claims: Claims): string[] {
  const aud = claims['aud']
  return [
    ...issuerWarnings(claims['iss']),
    ...(aud === undefined
      ? ['no aud claim: STS answers "Missing a required claim: aud"']
      : Array.isArray(aud)
        ? [`aud is an array (${aud.length} values); AWS documents a single audience`]
        : typeof aud !== 'string'
          ? ['aud is not a string']
          : []),
    ...(typeof claims['sub'] === 'string' ? [] : ['no sub claim (a string)']),
    ...gcpSubjectWarnings(claims),
  ]
}

/** A token for Google (aud gcp:…) whose sub Google would not keep as google.subject. */
function gcpSubjectWarnings(claims: Claims): string[] {
  const { aud, sub } = claims
  if (typeof aud !== 'string' || !aud.startsWith('gcp:') || typeof sub !== 'string') return []
  const bytes = utf8Bytes(sub)
  return bytes <= MAX_SUBJECT_BYTES
    ? []
    : [
        `sub is ${bytes} bytes: Google keeps at most ${MAX_SUBJECT_BYTES} bytes of google.subject and refuses the exchange (shorten the credential's subject template)`,
      ]
}

const CLOUDS: ReadonlyArray<readonly [string, string, string]> = [
  ['azure:', 'Azure', 'azure'],
  ['gcp:', 'Google Cloud', 'gcp'],
]

/** The line naming the cloud a keyless token of another cloud is for, and how to check it there. */
function cloudLine(aud: unknown): string | undefined {
  const cloud = CLOUDS.find(([prefix]) => typeof aud === 'string' && aud.startsWith(prefix))
  return cloud === undefined
    ? undefined
    : `For: ${cloud[1]} (aud ${String(aud)}); \`keyless explain --cloud ${cloud[2]}\` says what it would answer`
}

function timeWords(claim: TokenTime['claim'], v: number, nowS: number): string {
  const rel = relativeWords(v, nowS)
  if (claim === 'exp') return v <= nowS ? `expired ${rel}` : `expires ${rel}`
  if (claim === 'iat') return `issued ${rel}`
  return v > nowS ? `valid ${rel}` : `valid since ${rel}`
}

function timeWarning(claim: TokenTime['claim'], v: number, nowS: number): string | undefined {
  if (claim === 'exp' && v <= nowS)
    return `expired: STS answers ExpiredTokenException "${expiredMessage(nowS, v, '2024')}"`
  if (claim === 'nbf' && v > nowS + 300) return 'nbf is more than 5 min in the future'
  if (claim === 'iat' && v > nowS + 300) return 'iat is in the future (clock skew?)'
  return undefined
}

function timesOf(claims: Claims, nowS: number): { times: TokenTime[]; warnings: string[] } {
  const times: TokenTime[] = []
  const warnings: string[] = []
  for (const claim of ['iat', 'nbf', 'exp'] as const) {
    const v = claims[claim]
    if (v === undefined) {
      if (claim === 'exp') warnings.push('no exp claim: STS requires an expiry')
    } else if (typeof v !== 'number' || !Number.isInteger(v))
      warnings.push(
        `${claim} is ${JSON.stringify(v)}; STS requires an integer (seconds since 1970)`,
      )
    else {
      const iso = new Date(v * 1000).toISOString()
      times.push({ claim, value: v, iso, words: timeWords(claim, v, nowS) })
      const warning = timeWarning(claim, v, nowS)
      if (warning !== undefined) warnings.push(warning)
    }
  }
  return { times, warnings }
}

/** Decodes a compact JWS without verifying it. Throws `input_unreadable` when it is not a JWT. */
export function decodeToken(jwt: string, now: Date = systemClock.now()): DecodedToken {
  const token = jwt.trim()
  const [h = '', p = '', signature = ''] = segmentsOf(token)
  const header = b64json(h, 'header')
  const claims = b64json(p, 'payload')
  const nowS = Math.floor(now.getTime() / 1000)
  const { times, warnings } = timesOf(claims, nowS)
  const tags = readSessionTags(claims)
  const source = readSourceIdentity(claims)
  return {
    header,
    claims,
    times,
    expired: times.some((t) => t.claim === 'exp' && t.value <= nowS),
    sessionTags: tags.tags,
    transitiveTagKeys: tags.transitiveTagKeys,
    warnings: [
      ...formWarnings(token, header, signature),
      ...claimWarnings(claims),
      ...warnings,
      ...tags.problems.map((problem) => `session tags: ${problem}`),
      ...(source.ok ? [] : [`source identity: ${source.message}`]),
    ],
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
  const cloud = cloudLine(decoded.claims['aud'])
  if (cloud !== undefined) lines.push(cloud)
  if (decoded.warnings.length > 0) {
    lines.push(cloud === undefined ? 'Warnings (what AWS would reject)' : 'Warnings')
    for (const w of decoded.warnings) lines.push(`  ! ${w}`)
  }
  lines.push(
    'Signature: not checked (decode only; `keyless explain` and STS verify against the JWKS)',
  )
  return `${lines.join('\n')}\n`
}
