import { sql } from 'kysely'
import type { PlatformContext, Tx } from './context.js'
import { encodeQueueSignal, queueChannel } from './queue-signal.js'

/**
 * Tells the other replicas, in the transaction that made work claimable in the organization, that
 * their waiting claims should look again: `pg_notify` is delivered on commit only, never for a
 * rollback. The local claims are woken by the `queued` event emitted after the commit, as on
 * SQLite, where this does nothing (one process).
 */
export async function notifyQueued(
  ctx: PlatformContext,
  trx: Tx,
  organizationId: string,
): Promise<void> {
  if (ctx.store.dialect !== 'postgres') return
  const payload = encodeQueueSignal({ organizationId, replicaId: ctx.replicaId })
  await sql`SELECT pg_notify(${queueChannel(ctx.store.schema)}, ${payload})`.execute(trx)
}
