/**
 * Whether an error means the database connection is gone (terminated by the server, refused,
 * reset) rather than that the query was wrong. Such a request is answered 503
 * `database_unavailable`, which clients retry; the pool reconnects by itself.
 */

/** SQLSTATE class 08 (connection exception) and the shutdown codes of class 57. */
const SQLSTATES = new Set(['57P01', '57P02', '57P03'])
const ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN'])
/** node-postgres raises these without a code when a socket ends under a query. */
const PG_CLIENT_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
])

export function isConnectionLoss(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, message } = error as { code?: unknown; message?: unknown }
  if (
    typeof code === 'string' &&
    (SQLSTATES.has(code) || code.startsWith('08') || ERRNOS.has(code))
  )
    return true
  return typeof message === 'string' && PG_CLIENT_MESSAGES.has(message)
}
