/** Wakes this replica's waiting claims when another replica made work claimable. */
import type { FastifyInstance } from 'fastify'
import type { Platform } from '../platform/index.js'
import { parseQueueSignal, queueChannel } from '../platform/queue-signal.js'
import type { Logger } from '../shared/logger.js'
import type { Store } from '../store/database.js'

/**
 * On PostgreSQL, listens on the installation's channel (src/platform/queue-notify.ts sends on it)
 * and turns each notification from another replica into the `queued` event the claims here wait
 * on; after every (re)connection, every claim looks again (`queueRecheck`), since notifications
 * sent while the connection was down are lost. The listener ends when the server closes. SQLite:
 * nothing (one process; the event is emitted where the work was made).
 */
export function relayQueueSignals(
  app: FastifyInstance,
  platform: Platform,
  store: Store,
  logger: Logger,
): void {
  if (store.listen === undefined) return
  const { events, context } = platform
  let lost = false
  const listener = store.listen(queueChannel(store.schema), {
    onPayload(payload) {
      const signal = parseQueueSignal(payload)
      if (signal === undefined) {
        logger.warn({ bytes: payload?.length ?? 0 }, 'ignored a queue notification that is not one')
        return
      }
      if (signal.replicaId !== context.replicaId) events.emit('queued', signal.organizationId)
    },
    onListening() {
      if (lost) logger.info('listening for other replicas again')
      lost = false
      events.emit('queueRecheck')
    },
    onLost(error, retryInMs) {
      lost = true
      logger.warn(
        { err: error.message, retryInMs },
        'lost the connection listening for other replicas; reconnecting',
      )
    },
  })
  app.addHook('onClose', async () => {
    await listener.close()
  })
}
