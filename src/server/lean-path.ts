/**
 * The routes with a `core` handler (the two mint routes) straight on node:http, in front of the
 * control plane's Fastify app, as src/emulator/protocol/fast-path.ts does for the emulator: a
 * plain request to one of them (POST, exact path, no query, no Idempotency-Key, no body or a
 * JSON one with a Content-Length) is answered here without Fastify's routing, hooks and reply
 * machinery; everything else goes to Fastify unchanged. Both run the same authenticator, the same
 * input validation (`validInput`: the route's zod schemas), the same handler, the same response
 * check (`checkedAnswer`), the same error table (`knownErrorOf`, `errorBody`) and the same request
 * metrics and log line (`recordRequest`), and put the same status, content type and body on the
 * wire (test/server/lean-path.test.ts compares them).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { FastifyError, FastifyServerFactory } from 'fastify'
import type { Logger } from '../shared/logger.js'
import { errorBody, knownErrorOf } from './errors.js'
import { BODY_LIMIT, nextRequestId, parseJsonBody } from './http.js'
import { recordRequest, type ServerMetrics } from './metrics.js'
import { retryRead } from './read-retry.js'
import {
  checkedAnswer,
  validInput,
  type AnyRoute,
  type Authenticator,
  type Sent,
} from './routing.js'

const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8'])
/** A path parameter the lean path takes as it is (anything else may need decoding: Fastify's). */
const PLAIN_ID = /^[A-Za-z0-9_-]{1,64}$/u

export interface LeanRoutes {
  readonly routes: readonly AnyRoute[]
  readonly authenticate: Authenticator
  readonly metrics: ServerMetrics
  readonly logger: Logger
  /** Aborted when the server closes: from then on every request is Fastify's (it drains). */
  readonly closing: AbortSignal
}

interface Matched {
  readonly spec: AnyRoute
  readonly core: NonNullable<AnyRoute['core']>
  readonly id: string
}

/** `/prefix/:id/suffix` routes by prefix and suffix (the only shape the lean path serves). */
function matcher(
  routes: readonly AnyRoute[],
): (method: string, url: string) => Matched | undefined {
  const table = routes.flatMap((spec) => {
    const m = /^(\/[^:]*\/):id(\/[^:]*)$/u.exec(spec.url)
    const core = spec.core
    return m?.[1] === undefined || m[2] === undefined || core === undefined
      ? []
      : [{ spec, core, prefix: m[1], suffix: m[2] }]
  })
  return (method, url) => {
    for (const r of table) {
      if (r.spec.method !== method || !url.startsWith(r.prefix) || !url.endsWith(r.suffix)) continue
      const id = url.slice(r.prefix.length, url.length - r.suffix.length)
      if (PLAIN_ID.test(id)) return { spec: r.spec, core: r.core, id }
    }
    return undefined
  }
}

/** True when the request's body is none, or JSON of a declared length within the limit. */
function plainBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return false
  const length = req.headers['content-length']
  if (length === undefined || length === '0') return req.headers['content-type'] === undefined
  const type = req.headers['content-type']
  return (
    type !== undefined &&
    JSON_TYPES.has(type.toLowerCase()) &&
    /^\d{1,8}$/u.test(length) &&
    Number(length) <= BODY_LIMIT
  )
}

function write(res: ServerResponse, sent: Sent): void {
  if (sent.text === null) {
    res.writeHead(sent.status, ['content-length', '0'])
    res.end()
    return
  }
  res.writeHead(sent.status, [
    'content-type',
    'application/json; charset=utf-8',
    'content-length',
    String(Buffer.byteLength(sent.text)),
  ])
  res.end(sent.text)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.once('error', reject)
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
  })
}

type RequestLog = ReturnType<typeof lazyLog>

async function answer(
  lean: LeanRoutes,
  matched: Matched,
  req: IncomingMessage,
  log: RequestLog,
): Promise<Sent> {
  const { spec, core, id } = matched
  // As in Fastify: the body is read and parsed before the route's handler authenticates.
  const text = req.headers['content-length'] === undefined ? '' : await readBody(req)
  const raw = { params: { id }, query: {}, body: parseJsonBody(text) }
  const principal = await retryRead(() => lean.authenticate(spec.auth, req), {
    onRetry: (attempt, error) =>
      log.warn({ err: error, attempt }, 'database connection lost during a read; retrying it'),
  })
  const { params, query, body } = validInput(spec, raw)
  return checkedAnswer(spec, await core({ principal, params, query, body }), log)
}

/** The request's child logger, made only when something is logged (Fastify makes one per request). */
function lazyLog(lean: LeanRoutes, requestId: string) {
  let child: Logger | undefined
  const log = (): Logger => (child ??= lean.logger.child({ reqId: requestId }))
  return {
    info: (fields: object, message: string) => {
      if (lean.logger.isLevelEnabled('info')) log().info(fields, message)
    },
    warn: (fields: object, message: string) => log().warn(fields, message),
    error: (fields: object, message: string) => log().error(fields, message),
  }
}

function serve(
  lean: LeanRoutes,
  matched: Matched,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const started = performance.now()
  const requestId = nextRequestId()
  const log = lazyLog(lean, requestId)
  const done = (sent: Sent): void => {
    write(res, sent)
    recordRequest(lean.metrics, log, {
      method: matched.spec.method,
      route: matched.spec.url,
      url: req.url ?? '',
      status: sent.status,
      elapsedMs: performance.now() - started,
    })
  }
  answer(lean, matched, req, log).then(done, (error: unknown) => {
    const known = knownErrorOf(error as FastifyError, log, requestId)
    done({ status: known.status, text: JSON.stringify(errorBody(known)) })
  })
}

/**
 * A Fastify `serverFactory`: the node:http server Fastify would create (same timeouts), with the
 * lean path in front of Fastify's handler once `serve` has been given the routes.
 */
export function leanPath(): {
  readonly serverFactory: FastifyServerFactory
  serve(lean: LeanRoutes): void
} {
  let lean: LeanRoutes | undefined
  let match: ReturnType<typeof matcher> = () => undefined
  return {
    serve(routes) {
      lean = routes
      match = matcher(routes.routes)
    },
    serverFactory: (fastify, options) => {
      const server: Server = createServer((req, res) => {
        const matched =
          lean === undefined || lean.closing.aborted || !plainBody(req)
            ? undefined
            : req.headers['idempotency-key'] === undefined
              ? match(req.method ?? '', req.url ?? '')
              : undefined
        if (matched === undefined || lean === undefined) fastify(req, res)
        else serve(lean, matched, req, res)
      })
      // What Fastify sets on the server it would create itself (lib/server.js).
      const { keepAliveTimeout, requestTimeout, connectionTimeout } = options
      if (typeof keepAliveTimeout === 'number') server.keepAliveTimeout = keepAliveTimeout
      if (typeof requestTimeout === 'number') server.requestTimeout = requestTimeout
      server.setTimeout(typeof connectionTimeout === 'number' ? connectionTimeout : 0)
      return server
    },
  }
}
