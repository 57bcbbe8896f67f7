/**
 * The SigV4 signature of a request, computed with node:crypto: what @smithy/signature-v4's
 * `sign` (header form) or `presign` (query form) would put into the request, with
 * `applyChecksum: false` and `uriEscapePath: true`, for the same request object. It follows the
 * signer's canonicalization step by step (generated headers dropped, `x-amz-date` added, the
 * always-unsignable headers, value folding, path normalization, the query's escaping and order),
 * so the verifier answers exactly as it did with the signer;
 * src/emulator/sigv4/signature.test.ts checks that on thousands of generated requests.
 *
 * The signing key (four HMACs from the secret and the scope) is kept per secret and scope, as the
 * signer itself does; every request is still canonicalized, hashed and signed in full.
 */
import crypto, { createHash, createHmac } from 'node:crypto'

export interface SignatureInput {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string | readonly string[]>>
  /** Exactly the headers to sign with, as the request carried them. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly region: string
  readonly service: string
  readonly signingDate: Date
  /**
   * `YYYYMMDDTHHMMSSZ` of `signingDate` when the caller already has that text (the verifier: the
   * request's X-Amz-Date, checked to print `signingDate` exactly); formatted from it otherwise.
   */
  readonly longDate?: string
  /** Headers to sign even though they are in the always-unsignable list. */
  readonly signableHeaders: ReadonlySet<string>
  /** Query form: `X-Amz-Expires` and the session token the URL carries, if any. */
  readonly presign?: { readonly expiresIn: number; readonly sessionToken?: string | undefined }
}

const ALGORITHM = 'AWS4-HMAC-SHA256'
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const GENERATED = new Set(['authorization', 'x-amz-date', 'date'])
const ALWAYS_UNSIGNABLE = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
])
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

/**
 * SHA-256 as lowercase hex: node:crypto's one-shot `hash` where Node has it (20.12+; no Hash
 * object per call), else a Hash object.
 */
const sha256Hex: (data: string) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => createHash('sha256').update(data).digest('hex')

/** A value the signer's folding (below) leaves unchanged: no CR, LF, tab, double or edge space. */
const NEEDS_FOLDING = /[\r\n\t]| {2}|^ | $/u

/** encodeURIComponent plus `!'()*`, as the signer escapes. */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/gu,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/** The path as the signer's request object holds it, then normalized and escaped twice over. */
function canonicalPath(raw: string): string {
  if (raw === '/') return '/'
  const path = raw === '' ? '/' : raw.startsWith('/') ? raw : `/${raw}`
  const segments: string[] = []
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') segments.pop()
    else segments.push(segment)
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`
  return escapeUri(normalized).replace(/%2F/gu, '/')
}

function isEmpty(o: object): boolean {
  for (const key in o) if (hasOwn(o, key)) return false
  return true
}

function canonicalQuery(query: Readonly<Record<string, string | readonly string[]>>): string {
  const keys: string[] = []
  if (isEmpty(query)) return ''
  const serialized: Record<string, string> = {}
  for (const key in query) {
    if (!hasOwn(query, key) || key.toLowerCase() === 'x-amz-signature') continue
    const encoded = escapeUri(key)
    keys.push(encoded)
    const value = query[key]
    if (typeof value === 'string') serialized[encoded] = `${encoded}=${escapeUri(value)}`
    else if (Array.isArray(value))
      serialized[encoded] = (value as readonly string[])
        .map((v) => `${encoded}=${escapeUri(v)}`)
        .sort()
        .join('&')
  }
  return keys
    .sort()
    .map((k) => serialized[k])
    .filter((s) => s)
    .join('&')
}

/** Lower-cased name → folded value, in the signer's order and with its exclusions. */
function canonicalHeaders(
  headers: Readonly<Record<string, string>>,
  signable: ReadonlySet<string>,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of Object.keys(headers).sort()) {
    const value = headers[name]
    if (value === undefined || value === null) continue
    const lower = name.toLowerCase()
    const unsignable =
      ALWAYS_UNSIGNABLE.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-')
    if (unsignable && !signable.has(lower)) continue
    out[lower] = NEEDS_FOLDING.test(value)
      ? value
          .replace(/[\r\n]/gu, ' ')
          .replace(/[ \t]+/gu, ' ')
          .replace(/^ | $/gu, '')
      : value
  }
  return out
}

function payloadHash(headers: Readonly<Record<string, string>>, body: string): string {
  for (const name in headers)
    if (hasOwn(headers, name) && name.toLowerCase() === 'x-amz-content-sha256')
      return headers[name] as string
  return body === '' ? EMPTY_SHA256 : sha256Hex(body)
}

const MAX_KEYS = 64
const signingKeys = new Map<string, Buffer>()

function signingKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  const id = `${shortDate}\n${region}\n${service}\n${secret}`
  let key = signingKeys.get(id)
  if (key === undefined) {
    key = createHmac('sha256', `AWS4${secret}`).update(shortDate).digest()
    for (const part of [region, service, 'aws4_request'])
      key = createHmac('sha256', key).update(part).digest()
    if (signingKeys.size >= MAX_KEYS) signingKeys.clear()
    signingKeys.set(id, key)
  }
  return key
}

// Requests signed in the same second share their date text: a one-entry memo (pure).
let lastTime = Number.NaN
let lastLongDate = ''

/** `YYYYMMDDTHHMMSSZ` of the signing date, as the signer formats it. */
function longDateOf(date: Date): string {
  const time = date.getTime()
  if (time !== lastTime) {
    lastLongDate = date
      .toISOString()
      .replace(/\.\d{3}Z$/u, 'Z')
      .replace(/[-:]/gu, '')
    lastTime = time
  }
  return lastLongDate
}

/** The query the signer's `presign` signs: the URL's own plus its X-Amz-* parameters. */
function presignedQuery(
  input: SignatureInput,
  presign: NonNullable<SignatureInput['presign']>,
  credential: string,
  longDate: string,
  names: readonly string[],
): Record<string, string | readonly string[]> {
  const query: Record<string, string | readonly string[]> = { ...input.query }
  const token = presign.sessionToken
  if (token !== undefined && token !== '') query['X-Amz-Security-Token'] = token
  query['X-Amz-Algorithm'] = ALGORITHM
  query['X-Amz-Credential'] = credential
  query['X-Amz-Date'] = longDate
  query['X-Amz-Expires'] = presign.expiresIn.toString(10)
  query['X-Amz-SignedHeaders'] = names.join(';')
  return query
}

/** The hex signature the signer would compute for this request. */
export function sigv4Signature(input: SignatureInput): string {
  const longDate = input.longDate ?? longDateOf(input.signingDate)
  const shortDate = longDate.slice(0, 8)
  const scope = `${shortDate}/${input.region}/${input.service}/aws4_request`
  const headers: Record<string, string> = {}
  for (const name in input.headers)
    if (hasOwn(input.headers, name) && !GENERATED.has(name.toLowerCase()))
      headers[name] = input.headers[name] as string
  if (input.presign === undefined) headers['x-amz-date'] = longDate
  const canonical = canonicalHeaders(headers, input.signableHeaders)
  const names = Object.keys(canonical).sort()
  const query =
    input.presign === undefined
      ? input.query
      : presignedQuery(input, input.presign, `${input.accessKeyId}/${scope}`, longDate, names)
  const request = [
    input.method || 'GET',
    canonicalPath(input.path),
    canonicalQuery(query),
    `${names.map((n) => `${n}:${canonical[n] ?? ''}`).join('\n')}\n`,
    names.join(';'),
    payloadHash(input.presign === undefined ? headers : input.headers, input.body),
  ].join('\n')
  const toSign = `${ALGORITHM}\n${longDate}\n${scope}\n${sha256Hex(request)}`
  return createHmac(
    'sha256',
    signingKey(input.secretAccessKey, shortDate, input.region, input.service),
  )
    .update(toSign)
    .digest('hex')
}
