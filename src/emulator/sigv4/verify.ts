/**
 * SigV4 verification by recomputation (docs/aws-behaviour.md §15): the request is rebuilt with
 * exactly the headers the client signed and signed again as @smithy/signature-v4 signs it
 * (`applyChecksum: false`; src/emulator/sigv4/signature.ts, node:crypto), then the signatures are
 * compared in constant time. Header form and presigned URLs.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { AwsError, awsMessages } from '../errors.js'
import { sigv4Signature } from './signature.js'

export interface IncomingSignedRequest {
  readonly method: string
  readonly path: string
  /** Raw query string without `?`. */
  readonly rawQuery: string
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: string
}

/** What a credential resolves to: the secret to verify with and the session token it needs. */
export interface ResolvedCredential<C> {
  readonly secretAccessKey: string
  /** Required session token (temporary credentials). */
  readonly sessionToken?: string
  /** Epoch ms after which the credential is expired. */
  readonly expiresAt?: number
  readonly caller: C
}

export interface VerifyOptions<C> {
  readonly now: Date
  /** Service the credential must be scoped to (`sts`, `iam`). */
  readonly service: string
  /** Skew allowed between X-Amz-Date and now; STS: 15 minutes. */
  readonly skewMs: number
  readonly resolve: (accessKeyId: string) => ResolvedCredential<C> | undefined
}

interface SignatureParts {
  readonly presigned: boolean
  readonly accessKeyId: string
  readonly scopeDate: string
  readonly region: string
  readonly service: string
  readonly signedHeaders: readonly string[]
  readonly signature: string
  readonly amzDate: string
  readonly expiresSeconds: number | undefined
  readonly securityToken: string | undefined
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/u

function header(req: IncomingSignedRequest, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v.join(',') : v
}

/** True when the request carries a SigV4 signature (header or presigned query). */
export function isSigned(req: IncomingSignedRequest): boolean {
  return header(req, 'authorization') !== undefined || urlQuery(req).has('X-Amz-Algorithm')
}

const NO_QUERY: ReadonlyMap<string, string> = new Map<string, string>()

/** The URL's own query parameters (not the form body): what SigV4 canonicalizes. */
function urlQuery(req: IncomingSignedRequest): ReadonlyMap<string, string> {
  return req.rawQuery === '' ? NO_QUERY : new Map(new URLSearchParams(req.rawQuery))
}

/** `/^[0-9a-f]{64}$/` without a regular expression (it runs on every signed request). */
function isHexSignature(text: string | undefined): boolean {
  if (text === undefined || text.length !== 64) return false
  for (let i = 0; i < 64; i += 1) {
    const c = text.charCodeAt(i)
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false
  }
  return true
}

interface AuthFields {
  credential?: string
  signedHeaders?: string
  signature?: string
}

/**
 * The `Key=value` fields of the Authorization header after the algorithm, split at commas and
 * trimmed (a later field wins), read in place rather than through an array of pieces.
 */
function authFields(text: string, from: number): AuthFields {
  const out: AuthFields = {}
  let start = from
  for (;;) {
    let end = text.indexOf(',', start)
    if (end < 0) end = text.length
    const eq = text.indexOf('=', start)
    if (eq >= 0 && eq < end) {
      const key = text.slice(start, eq).trim()
      const value = text.slice(eq + 1, end).trim()
      if (key === 'Credential') out.credential = value
      else if (key === 'SignedHeaders') out.signedHeaders = value
      else if (key === 'Signature') out.signature = value
    }
    if (end >= text.length) return out
    start = end + 1
  }
}

function incomplete(message: string): AwsError {
  return new AwsError('IncompleteSignature', message)
}

function parseParts(
  req: IncomingSignedRequest,
  query: ReadonlyMap<string, string>,
): SignatureParts {
  const auth = header(req, 'authorization')
  let credential: string | undefined
  let signedHeaders: string | undefined
  let signature: string | undefined
  let amzDate: string | undefined
  let expiresSeconds: number | undefined
  let securityToken: string | undefined
  let presigned = false
  if (auth !== undefined) {
    const space = auth.indexOf(' ')
    const algorithm = space < 0 ? auth : auth.slice(0, space)
    if (algorithm !== 'AWS4-HMAC-SHA256')
      throw incomplete(`Unsupported AWS 'algorithm': '${algorithm.slice(0, 64)}'`)
    const fields = authFields(auth, space + 1)
    credential = fields.credential
    signedHeaders = fields.signedHeaders
    signature = fields.signature
    amzDate = header(req, 'x-amz-date')
    securityToken = header(req, 'x-amz-security-token')
    const missing: string[] = []
    if (credential === undefined)
      missing.push("Authorization header requires 'Credential' parameter.")
    if (signature === undefined)
      missing.push("Authorization header requires 'Signature' parameter.")
    if (signedHeaders === undefined)
      missing.push("Authorization header requires 'SignedHeaders' parameter.")
    if (amzDate === undefined)
      missing.push(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      )
    if (missing.length > 0) throw incomplete(missing.join(' '))
  } else {
    presigned = true
    if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256')
      throw incomplete(
        `Unsupported AWS 'algorithm': '${(query.get('X-Amz-Algorithm') ?? '').slice(0, 64)}'`,
      )
    credential = query.get('X-Amz-Credential')
    signedHeaders = query.get('X-Amz-SignedHeaders')
    signature = query.get('X-Amz-Signature')
    amzDate = query.get('X-Amz-Date')
    securityToken = query.get('X-Amz-Security-Token')
    const expires = query.get('X-Amz-Expires')
    const missing = [
      ['X-Amz-Credential', credential],
      ['X-Amz-SignedHeaders', signedHeaders],
      ['X-Amz-Signature', signature],
      ['X-Amz-Date', amzDate],
      ['X-Amz-Expires', expires],
    ]
      .filter(([, v]) => v === undefined)
      .map(([k]) => k ?? '')
    if (missing.length > 0)
      throw incomplete(
        `AWS query-string parameters must include ${missing.map((k) => `'${k}'`).join(', ')}.`,
      )
    if (!/^\d{1,6}$/u.test(expires ?? '') || Number(expires) < 1 || Number(expires) > 604800)
      throw incomplete('X-Amz-Expires must be an integer from 1 to 604800.')
    expiresSeconds = Number(expires)
  }
  if (!AMZ_DATE.test(amzDate ?? ''))
    throw incomplete(
      `Date must be in ISO-8601 'basic format'. Got '${(amzDate ?? '').slice(0, 32)}'.`,
    )
  const scope = (credential ?? '').split('/')
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || scope.some((s) => s === ''))
    throw incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${(credential ?? '').slice(0, 200)}'`,
    )
  if (!isHexSignature(signature))
    throw new AwsError('SignatureDoesNotMatch', awsMessages.signatureDoesNotMatch)
  const headers = (signedHeaders ?? '').split(';').filter((h) => h !== '')
  return {
    presigned,
    accessKeyId: scope[0] ?? '',
    scopeDate: scope[1] ?? '',
    region: scope[2] ?? '',
    service: scope[3] ?? '',
    signedHeaders: headers,
    signature: signature ?? '',
    amzDate: amzDate ?? '',
    expiresSeconds,
    securityToken,
  }
}

/**
 * The X-Amz-Date as a Date, and whether the text is exactly how that date prints: no field rolled
 * over (month 13, second 60, a two-digit year that Date.UTC reads as 19xx). When it is, the
 * signature's date text is the header itself, not the date printed again.
 */
function parseAmzDate(text: string): { readonly date: Date; readonly exact: boolean } {
  const m = AMZ_DATE.exec(text)
  if (!m) throw incomplete('Invalid X-Amz-Date')
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
  const exact =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  return { date, exact }
}

function amzDateText(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/gu, '')
    .replace(/\.\d{3}Z$/u, 'Z')
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Verifies the request's SigV4 signature and returns who signed it. Throws AWS's errors:
 * InvalidClientTokenId, ExpiredToken, SignatureDoesNotMatch, IncompleteSignature.
 */
export function verifySigV4<C>(
  req: IncomingSignedRequest,
  options: VerifyOptions<C>,
): { caller: C; region: string; accessKeyId: string } {
  const query = urlQuery(req)
  const parts = parseParts(req, query)
  const credential = options.resolve(parts.accessKeyId)
  if (credential === undefined)
    throw new AwsError('InvalidClientTokenId', awsMessages.invalidClientTokenId)
  if (credential.sessionToken !== undefined) {
    if (
      parts.securityToken === undefined ||
      !constantTimeEqual(parts.securityToken, credential.sessionToken)
    )
      throw new AwsError('InvalidClientTokenId', awsMessages.invalidClientTokenId)
    if (credential.expiresAt !== undefined && options.now.getTime() >= credential.expiresAt)
      throw new AwsError('ExpiredToken', awsMessages.expiredToken)
  }
  if (parts.service !== options.service)
    throw new AwsError(
      'SignatureDoesNotMatch',
      `Credential should be scoped to correct service: '${options.service}'. `,
    )
  const { date: signingDate, exact: dateExact } = parseAmzDate(parts.amzDate)
  if (parts.scopeDate !== parts.amzDate.slice(0, 8))
    throw new AwsError(
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parts.scopeDate}' != '${parts.amzDate.slice(0, 8)}', from '${parts.amzDate}'.`,
    )
  const now = options.now.getTime()
  if (signingDate.getTime() > now + options.skewMs)
    throw new AwsError(
      'SignatureDoesNotMatch',
      `Signature not yet current: ${parts.amzDate} is still later than ${amzDateText(new Date(now + options.skewMs))} (${amzDateText(options.now)} + 15 min.)`,
    )
  if (parts.presigned) {
    const expiresAt = signingDate.getTime() + (parts.expiresSeconds ?? 0) * 1000
    if (now > expiresAt)
      throw new AwsError(
        'SignatureDoesNotMatch',
        `Signature expired: ${parts.amzDate} is now earlier than ${amzDateText(new Date(now - (parts.expiresSeconds ?? 0) * 1000))} (${amzDateText(options.now)} - ${parts.expiresSeconds ?? 0} sec.)`,
      )
  } else if (signingDate.getTime() < now - options.skewMs) {
    throw new AwsError(
      'SignatureDoesNotMatch',
      `Signature expired: ${parts.amzDate} is now earlier than ${amzDateText(new Date(now - options.skewMs))} (${amzDateText(options.now)} - 15 min.)`,
    )
  }

  // Rebuild the request with exactly the signed headers.
  const headers: Record<string, string> = {}
  for (const name of parts.signedHeaders) {
    const value = header(req, name)
    if (value === undefined)
      throw new AwsError('SignatureDoesNotMatch', awsMessages.signatureDoesNotMatch)
    headers[name] = value
  }
  const contentSha = headers['x-amz-content-sha256']
  if (
    contentSha !== undefined &&
    contentSha !== 'UNSIGNED-PAYLOAD' &&
    contentSha !== createHash('sha256').update(req.body).digest('hex')
  )
    throw new AwsError('SignatureDoesNotMatch', awsMessages.signatureDoesNotMatch)
  const queryForSigning: Record<string, string | string[]> = {}
  if (req.rawQuery !== '')
    for (const [k, v] of new URLSearchParams(req.rawQuery)) {
      if (parts.presigned && PRESIGN_PARAMS.has(k)) continue
      const prev = queryForSigning[k]
      queryForSigning[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v]
    }
  const expected = sigv4Signature({
    method: req.method,
    path: req.path,
    query: queryForSigning,
    headers,
    body: req.body,
    accessKeyId: parts.accessKeyId,
    secretAccessKey: credential.secretAccessKey,
    region: parts.region,
    service: parts.service,
    signingDate,
    ...(dateExact ? { longDate: parts.amzDate } : {}),
    signableHeaders: new Set(parts.signedHeaders),
    ...(parts.presigned
      ? {
          presign: {
            expiresIn: parts.expiresSeconds ?? 0,
            sessionToken: parts.securityToken,
          },
        }
      : {}),
  })
  if (!constantTimeEqual(expected, parts.signature))
    throw new AwsError('SignatureDoesNotMatch', awsMessages.signatureDoesNotMatch)
  return { caller: credential.caller, region: parts.region, accessKeyId: parts.accessKeyId }
}

const PRESIGN_PARAMS = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
])
