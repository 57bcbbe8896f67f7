/** What runs around the requests: draining on close, and the background sweep of lost leases. */
import type { FastifyInstance } from 'fastify'
import type { Platform } from '../platform/index.js'

/**
 * On close: `closing` aborts (long polls and log streams end) and every answer from then on closes
 * its connection, so keep-alive clients cannot hold the server open (docs/operations.md).
 */
export function drainOnClose(app: FastifyInstance): AbortSignal {
  const closing = new AbortController()
  app.addHook('preClose', (done) => {
    closing.abort()
    done()
  })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing.signal.aborted) void reply.header('connection', 'close')
    done(null, payload)
  })
  return closing.signal
}

/** Leases of vanished agents are swept every `intervalMs` too (claims also sweep); 0: never. */
export function sweepLeases(app: FastifyInstance, platform: Platform, intervalMs: number): void {
  if (intervalMs <= 0) return
  const timer = setInterval(() => {
    platform.queue
      .sweep()
      .catch((error: unknown) => app.log.error({ err: error }, 'lease sweep failed'))
  }, intervalMs)
  timer.unref()
  app.addHook('onClose', (_instance, done) => {
    clearInterval(timer)
    done()
  })
}
