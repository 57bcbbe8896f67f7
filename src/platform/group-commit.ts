/**
 * Group commit: writes that arrive while a transaction is being prepared or is committing wait
 * and go together into the next one, so concurrent writers share one BEGIN/COMMIT (and, on
 * PostgreSQL, one round trip of it). Each `write(item)` resolves only once the transaction
 * holding its rows has committed, so a caller that returns after it (a token after its audit row)
 * never gets ahead of the database. When a batch fails, each of its items is written again in a
 * transaction of its own: only the items that fail on their own fail, as without batching.
 */
import type { Transaction } from 'kysely'
import type { Database } from '../store/schema.js'
import { inTransaction, type PlatformContext } from './context.js'
import { runInTransaction, type Statement } from './prepared.js'

interface Waiting<T> {
  readonly item: T
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

export type GroupWriter<T> = (trx: Transaction<Database>, item: T) => Promise<void>

/** Most items in one transaction (a burst beyond it takes the next). */
const MAX_BATCH = 256

export function groupCommit<T>(
  ctx: PlatformContext,
  writeOne: GroupWriter<T>,
): (item: T) => Promise<void> {
  return batched((items) =>
    inTransaction(ctx, async (trx) => {
      for (const item of items) await writeOne(trx, item)
    }),
  )
}

/**
 * `groupCommit` of items written as prepared statements (one definition for both dialects): on
 * SQLite the batch's transaction runs in one synchronous call while no other transaction is open
 * (src/platform/prepared.ts `runInTransaction`), without Kysely's promise chain per statement.
 */
export function groupCommitStatements<T>(
  ctx: PlatformContext,
  statementsOf: (item: T) => readonly Statement[],
): (item: T) => Promise<void> {
  return batched((items) => runInTransaction(ctx.db, items.flatMap(statementsOf)))
}

function batched<T>(
  commitItems: (items: readonly T[]) => Promise<void>,
): (item: T) => Promise<void> {
  let queue: Array<Waiting<T>> = []
  let running = false

  async function commit(batch: ReadonlyArray<Waiting<T>>): Promise<void> {
    try {
      await commitItems(batch.map((w) => w.item))
      for (const w of batch) w.resolve()
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error)
        return
      }
      for (const w of batch) await commit([w])
    }
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH)
      queue = queue.slice(batch.length)
      await commit(batch)
    }
    running = false
  }

  return (item) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ item, resolve, reject })
      if (running) return
      running = true
      // The writers that finish in this turn of the event loop join the first transaction.
      setImmediate(() => void drain())
    })
}
