/**
 * The Query protocol straight on node:http, in front of the emulator's Fastify app: a request the
 * SDKs send (GET, or a form POST with a Content-Length, on `/`) is answered here without Fastify's
 * routing, hooks and reply machinery; everything else goes to Fastify unchanged. Both run the
 * same `dispatch` (so the same modules, validation and wire-error table) and put the same bytes on
 * the wire: status line, `x-amzn-requestid`, `content-type: text/xml`, `content-length`, body
 * (test/emulator/fast-path.test.ts compares them). The body limit and the framework errors follow
 * `frameworkError`, which the Fastify error handler uses too.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { Logger } from '../../shared/logger.js'
import { AwsError } from '../errors.js'
import type { WireRequest, WireResponse } from './dispatch.js'
import { errorXml } from './xml.js'

/** Content types the fast path reads (lowercased); any other goes through Fastify's parsing. */
const FORM_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded;charset=utf-8',
])

/** What Fastify's own server would be set to (its defaults), so both paths behave alike. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000

/** True when the content type is a form (`application/x-www-form-urlencoded…`). */
export function isFormType(type: string | undefined): boolean {
  return (type ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')
}

/** The AWS error a framework failure (body too large, unreadable body, a bug) is answered with. */
export function frameworkError(statusCode: number | undefined, bodyLimit: number): AwsError {
  if (statusCode === 413)
    return new AwsError('RequestEntityTooLarge', `Request body is larger than ${bodyLimit} bytes.`)
  if (statusCode !== undefined && statusCode < 500)
    return new AwsError('ValidationError', 'The request could not be read.')
  return new AwsError('InternalFailure', 'An internal error occurred.')
}

/** The dispatcher's view of a request: the same for the fast path and for Fastify. */
export function wireRequestOf(raw: IncomingMessage, body: string): WireRequest {
  const url = raw.url ?? '/'
  const q = url.indexOf('?')
  return {
    method: raw.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    headers: raw.headers,
    body,
    formBody: isFormType(raw.headers['content-type']),
    sourceIp: raw.socket.remoteAddress as string,
    secure: (raw.socket as Partial<TLSSocket>).encrypted === true,
  }
}

/** Writes a response the way the Fastify route does (same header names, order and values). */
export function writeWire(res: ServerResponse, response: WireResponse): void {
  // A text body: node:http puts the head and the body in one write (a Buffer body would go out
  // as two, through writev), which measured 3% more AssumeRoleWithWebIdentity per second.
  const body = response.body
  res.writeHead(response.status, [
    'x-amzn-requestid',
    response.requestId,
    'content-type',
    'text/xml',
    'content-length',
    String(Buffer.byteLength(body, 'utf8')),
  ])
  res.end(body, 'utf8')
}

/** A request the fast path answers; anything else (HEAD, other paths, chunked, JSON…) is Fastify's. */
export function fastPathEligible(req: IncomingMessage, bodyLimit: number): boolean {
  const url = req.url ?? ''
  if (url !== '/' && !url.startsWith('/?')) return false
  if (req.method === 'GET') return true
  if (req.method !== 'POST' || req.headers['transfer-encoding'] !== undefined) return false
  const type = req.headers['content-type']
  if (type === undefined || !FORM_TYPES.has(type.toLowerCase())) return false
  const length = req.headers['content-length']
  return length !== undefined && /^\d{1,8}$/u.test(length) && Number(length) <= bodyLimit
}

export interface FastPathOptions {
  readonly bodyLimit: number
  readonly logger: Logger
  /** The answer; a promise only when it must wait (src/emulator/protocol/dispatch.ts). */
  readonly dispatch: (req: WireRequest) => WireResponse | Promise<WireResponse>
}

function fail(res: ServerResponse, error: unknown, options: FastPathOptions): void {
  const requestId = randomUUID()
  options.logger.error({ err: error, requestId }, 'emulator request failed')
  const aws = frameworkError(400, options.bodyLimit)
  res.setHeader('connection', 'close')
  writeWire(res, { status: aws.httpStatus, requestId, body: errorXml('sts', aws, requestId) })
}

/** Dispatches and writes the answer: at once when dispatch did not have to wait. */
function answer(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  options: FastPathOptions,
): void {
  let response: WireResponse | Promise<WireResponse>
  try {
    response = options.dispatch(wireRequestOf(req, body))
  } catch (error) {
    fail(res, error, options)
    return
  }
  if (response instanceof Promise)
    response.then(
      (r) => writeWire(res, r),
      (error: unknown) => fail(res, error, options),
    )
  else writeWire(res, response)
}

function serve(req: IncomingMessage, res: ServerResponse, options: FastPathOptions): void {
  if (req.method === 'GET') {
    answer(req, res, '', options)
    return
  }
  const expected = Number(req.headers['content-length'])
  const chunks: Buffer[] = []
  let received = 0
  req.on('data', (chunk: Buffer) => {
    received += chunk.length
    chunks.push(chunk)
  })
  req.once('error', (error) => fail(res, error, options))
  req.once('end', () => {
    if (received !== expected) {
      fail(res, new Error('the body length does not match Content-Length'), options)
      return
    }
    answer(
      req,
      res,
      chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString(),
      options,
    )
  })
}

/**
 * A Fastify `serverFactory`: the node:http server Fastify would create (same timeouts), with the
 * fast path in front of Fastify's handler.
 */
export function fastPathServer(
  options: FastPathOptions,
): (fastify: (req: IncomingMessage, res: ServerResponse) => void) => Server {
  return (fastify) => {
    const server = createServer((req, res) => {
      if (fastPathEligible(req, options.bodyLimit)) serve(req, res, options)
      else fastify(req, res)
    })
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
    server.requestTimeout = 0
    return server
  }
}
