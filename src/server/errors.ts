import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import { KeylessError, isKeylessError } from '../shared/errors.js'
import { isConnectionLoss } from '../store/connection-loss.js'

/** The error body of the REST and agent APIs: `{ "error": { "code", "message", "details" } }`. */
export function errorBody(error: KeylessError): {
  error: { code: string; message: string; details: unknown }
} {
  return { error: { code: error.code, message: error.message, details: error.details ?? {} } }
}

/** Maps Fastify's own request errors (body parsing, limits) to keyless codes. */
function fromFastify(error: FastifyError): KeylessError | undefined {
  const status = error.statusCode ?? 500
  if (status >= 500) return undefined
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new KeylessError('payload_too_large', 'the request body is over the 1 MiB limit')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new KeylessError(
        'bad_request',
        'the request body must be JSON (Content-Type: application/json)',
      )
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new KeylessError('bad_request', 'the request body is not valid JSON')
    default:
      if (status === 413)
        return new KeylessError('payload_too_large', 'the request body is over the 1 MiB limit')
      return new KeylessError('bad_request', 'the request could not be read')
  }
}

/**
 * One place decides what the client sees: KeylessErrors as they are, Fastify's request errors
 * mapped to `bad_request`/`payload_too_large`, anything else a fixed `internal_error` with the
 * details in the log only.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = knownError(error, request)
    void reply.status(known.status).type('application/json; charset=utf-8').send(errorBody(known))
  })
}

/** The KeylessError a client sees for any error (unexpected ones are logged, never shown). */
export function knownError(error: FastifyError, request: FastifyRequest): KeylessError {
  return knownErrorOf(error, request.log, request.id)
}

/** `knownError` of a request known by its log and id (the lean path has no FastifyRequest). */
export function knownErrorOf(
  error: FastifyError,
  log: {
    warn(fields: object, message: string): void
    error(fields: object, message: string): void
  },
  requestId: string,
): KeylessError {
  const known: KeylessError | undefined = isKeylessError(error) ? error : fromFastify(error)
  if (known !== undefined && known.code !== 'internal_error') return known
  if (known === undefined && isConnectionLoss(error)) {
    log.warn({ err: error }, 'database connection lost during a request')
    return new KeylessError('database_unavailable', 'the database is unavailable; retry')
  }
  log.error({ err: error }, 'unexpected error')
  return new KeylessError(
    'internal_error',
    `internal error (request ${requestId}); details are in the server log`,
  )
}
