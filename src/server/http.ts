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
} from 'fastify'
import { KeylessError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { errorBody, installErrorHandler } from './errors.js'

export const BODY_LIMIT = 1024 * 1024

/** JSON bodies: an empty body is "no body"; anything unparsable is a 400 bad_request. */
function parseJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT },
    (_req, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8')
      if (text.trim() === '') {
        done(null, undefined)
        return
      }
      try {
        done(null, JSON.parse(text))
      } catch {
        done(new KeylessError('bad_request', 'the request body is not valid JSON'), undefined)
      }
    },
  )
}

export function createHttpApp(logger: Logger): FastifyInstance {
  const app = Fastify({
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
