import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Transaction } from 'kysely'
import { systemClock } from '../shared/clock.js'
import { openStore, type Store } from '../store/database.js'
import type { Database } from '../store/schema.js'
import { createContext, type PlatformContext } from './context.js'
import { groupCommit } from './group-commit.js'

let store: Store
let ctx: PlatformContext
beforeEach(async () => {
  store = await openStore({ url: ':memory:' })
  ctx = createContext(store, systemClock, undefined)
})
afterEach(async () => {
  await store.close()
})

/** Writes an audit row per item, remembering which transaction wrote it; `bad` items throw. */
function recorder() {
  const seen = new Map<string, Transaction<Database>>()
  const write = groupCommit(ctx, async (trx, item: { id: string; bad?: boolean }) => {
    seen.set(item.id, trx)
    await trx
      .insertInto('audit_events')
      .values({
        id: item.id,
        organization_id: null,
        action: 'token.minted',
        actor_type: 'system',
        actor_id: null,
        actor_email: null,
        deployment_id: null,
        details: '{}',
        created_at: new Date().toISOString(),
      })
      .execute()
    if (item.bad === true) throw new Error(`bad item ${item.id}`)
  })
  return { write, seen }
}

const rows = async (): Promise<string[]> =>
  (await store.db.selectFrom('audit_events').select('id').orderBy('id').execute()).map((r) => r.id)

describe('groupCommit', () => {
  it('writes concurrent items in one transaction, each resolved after the commit', async () => {
    const { write, seen } = recorder()
    const ids = Array.from({ length: 20 }, (_, i) => `aud_${String(i).padStart(2, '0')}`)
    const committed: string[] = []
    await Promise.all(
      ids.map((id) =>
        write({ id }).then(async () => {
          // The row is visible to another reader once the writer is told it is done.
          const found = await store.db
            .selectFrom('audit_events')
            .select('id')
            .where('id', '=', id)
            .executeTakeFirst()
          if (found !== undefined) committed.push(id)
        }),
      ),
    )
    expect(committed.sort()).toEqual(ids)
    expect(new Set(seen.values()).size).toBe(1)
    expect(await rows()).toEqual(ids)
  })

  it('fails only the item that fails, when a batch cannot commit', async () => {
    const { write } = recorder()
    const results = await Promise.allSettled([
      write({ id: 'aud_a' }),
      write({ id: 'aud_b', bad: true }),
      write({ id: 'aud_c' }),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain('bad item aud_b')
    expect(await rows()).toEqual(['aud_a', 'aud_c'])
  })

  it('takes writes that arrive during a commit into the next transaction', async () => {
    const { write, seen } = recorder()
    await write({ id: 'aud_1' })
    await Promise.all([write({ id: 'aud_2' }), write({ id: 'aud_3' })])
    expect(seen.get('aud_1')).not.toBe(seen.get('aud_2'))
    expect(seen.get('aud_2')).toBe(seen.get('aud_3'))
    expect(await rows()).toEqual(['aud_1', 'aud_2', 'aud_3'])
  })
})
