/**
 * The Fastify instance of the control plane, before any route: request logging through our
 * logger, the body limit, draining on close, and one error body for everything Fastify refuses
 * (a URL that does not decode, JSON that does not parse) as for what the handlers throw.
 */
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerFactory,
} from 'fastify'
import { KeylessError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { errorBody, installErrorHandler } from './errors.js'

export const BODY_LIMIT = 1024 * 1024

/** A JSON body's value: an empty body is "no body"; anything unparsable is a 400 bad_request. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new KeylessError('bad_request', 'the request body is not valid JSON')
  }
}

function parseJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT },
    (_req, body, done) => {
      try {
        done(null, parseJsonBody(typeof body === 'string' ? body : body.toString('utf8')))
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)), undefined)
      }
    },
  )
}

let requestCounter = 0
/** Request ids (`req-1`, … as Fastify's own), one sequence for Fastify and the lean path. */
export function nextRequestId(): string {
  requestCounter = (requestCounter + 1) & 0x7fffffff
  return `req-${requestCounter.toString(36)}`
}

export interface HttpAppOptions {
  /** The node:http server to run Fastify in (src/server/lean-path.ts puts its routes in front). */
  readonly serverFactory?: FastifyServerFactory
}

export function createHttpApp(logger: Logger, options: HttpAppOptions = {}): FastifyInstance {
  const app = Fastify({
    ...(options.serverFactory === undefined ? {} : { serverFactory: options.serverFactory }),
    genReqId: () => nextRequestId(),
    loggerInstance: logger as unknown as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: false,
    // On close, idle keep-alive connections go at once and requests in flight finish (SIGTERM
    // drains, docs/operations.md); long polls and log streams end through `closing`.
    forceCloseConnections: 'idle',
    // Errors Fastify raises before routing (a URL that does not decode) get the same body.
    frameworkErrors: (error, _request, raw) => {
      const reply = raw as unknown as FastifyReply
      void reply
        .status(400)
        .type('application/json; charset=utf-8')
        .send(errorBody(new KeylessError('bad_request', error.message)))
    },
  })
  parseJsonBodies(app)
  installErrorHandler(app)
  return app
}
