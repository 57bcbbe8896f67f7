import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CompiledQuery } from 'kysely'
import { systemClock } from '../shared/clock.js'
import { openStore, syncReaderOf, type Store } from '../store/database.js'
import { createContext, inTransaction, type PlatformContext } from './context.js'
import { prepared, runInTransaction, type Statement } from './prepared.js'

let store: Store
let ctx: PlatformContext
beforeEach(async () => {
  store = await openStore({ url: ':memory:' })
  ctx = createContext(store, systemClock, undefined)
})
afterEach(async () => {
  await store.close()
})

function audit(id: string, action: string) {
  return {
    id,
    organization_id: null,
    action,
    actor_type: 'system',
    actor_id: null,
    actor_email: null,
    deployment_id: null,
    details: JSON.stringify({ id }),
    created_at: '2026-12-03T00:00:00.000Z',
  }
}

const byAction = prepared((db, slot) =>
  db.selectFrom('audit_events').selectAll().where('action', '=', slot(0)).orderBy('id'),
)

/** Reads as data: the SQL and arguments a prepared read runs with, on rows seeded below. */
const cases: ReadonlyArray<{ name: string; args: readonly unknown[]; ids: readonly string[] }> = [
  { name: 'several rows', args: ['token.minted'], ids: ['aud_1', 'aud_3'] },
  { name: 'one row', args: ['token.minted_manually'], ids: ['aud_2'] },
  { name: 'no row', args: ['key.created'], ids: [] },
  { name: 'an argument of another type', args: [42], ids: [] },
  { name: 'a NULL argument', args: [null], ids: [] },
]

describe('prepared reads on SQLite', () => {
  beforeEach(async () => {
    await store.db
      .insertInto('audit_events')
      .values([
        audit('aud_1', 'token.minted'),
        audit('aud_2', 'token.minted_manually'),
        audit('aud_3', 'token.minted'),
      ])
      .execute()
  })

  it.each(cases)('answer the rows Kysely answers: $name', async ({ args, ids }) => {
    const reader = syncReaderOf(store.db)
    expect(reader).toBeDefined()
    const compiled = store.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'x')
      .orderBy('id')
      .compile()
    const viaKysely = await store.db.executeQuery(CompiledQuery.raw(compiled.sql, [...args]))
    const direct = reader?.all(compiled.sql, args)
    expect(direct).toEqual(viaKysely.rows)
    const viaPrepared = await byAction(store.db, args)
    expect(viaPrepared).toEqual(viaKysely.rows)
    expect(viaPrepared.map((r) => r.id)).toEqual(ids)
  })

  it('has no synchronous reader for a transaction, and none answers a write', async () => {
    await inTransaction(ctx, (trx) => {
      expect(syncReaderOf(trx)).toBeUndefined()
      return Promise.resolve()
    })
    const insert = store.db.insertInto('audit_events').values(audit('aud_9', 'x')).compile()
    expect(syncReaderOf(store.db)?.all(insert.sql, [...insert.parameters])).toBeUndefined()
    expect(await byAction(store.db, ['x'])).toEqual([])
  })

  it("never reads another caller's open transaction: waits for it, never sees what it rolled back", async () => {
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    let inserted: () => void = () => undefined
    const ready = new Promise<void>((resolve) => (inserted = resolve))
    const rolledBack = inTransaction(ctx, async (trx) => {
      await trx.insertInto('audit_events').values(audit('aud_4', 'token.minted')).execute()
      inserted()
      await held
      throw new Error('roll back')
    }).catch((error: unknown) => error)
    await ready
    expect(syncReaderOf(store.db)?.all('SELECT id FROM audit_events', [])).toBeUndefined()
    const read = byAction(store.db, ['token.minted'])
    release()
    expect(await rolledBack).toEqual(new Error('roll back'))
    expect((await read).map((r) => r.id)).toEqual(['aud_1', 'aud_3'])
  })
})

const insertAudit = prepared((db, slot) =>
  db.insertInto('audit_events').values({
    id: slot(0),
    organization_id: null,
    action: slot(1),
    actor_type: 'system',
    actor_id: null,
    actor_email: null,
    deployment_id: null,
    details: slot(2),
    created_at: '2026-12-03T00:00:00.000Z',
  }),
)
const renameAction = prepared((db, slot) =>
  db
    .updateTable('audit_events')
    .set({ action: slot(0) })
    .where('id', '=', slot(1)),
)

/** Batches as data: what each leaves in the table, or the error it fails with (nothing written). */
const batches: ReadonlyArray<{
  name: string
  statements: readonly Statement[]
  rows?: ReadonlyArray<readonly [string, string]>
  fails?: RegExp
}> = [
  {
    name: 'inserts and an update of a row inserted before it',
    statements: [
      { query: insertAudit, args: ['aud_a', 'token.minted', '{"n":1}'] },
      { query: insertAudit, args: ['aud_b', 'token.minted', '{}'] },
      { query: renameAction, args: ['token.minted_manually', 'aud_a'] },
    ],
    rows: [
      ['aud_a', 'token.minted_manually'],
      ['aud_b', 'token.minted'],
    ],
  },
  { name: 'no statement', statements: [], rows: [] },
  {
    name: 'an update that matches nothing',
    statements: [{ query: renameAction, args: ['x', 'aud_none'] }],
    rows: [],
  },
  {
    name: 'a duplicate id: the whole batch rolls back',
    statements: [
      { query: insertAudit, args: ['aud_c', 'token.minted', '{}'] },
      { query: insertAudit, args: ['aud_c', 'token.minted', '{}'] },
    ],
    fails: /UNIQUE/u,
  },
]

const auditRows = async (db: Store['db']) =>
  (await db.selectFrom('audit_events').select(['id', 'action']).orderBy('id').execute()).map(
    (r) => [r.id, r.action] as const,
  )

describe('runInTransaction on SQLite', () => {
  it.each(batches)('writes what Kysely writes: $name', async ({ statements, rows, fails }) => {
    const viaKysely = await openStore({ url: ':memory:' })
    try {
      const kysely = viaKysely.db.transaction().execute(async (trx) => {
        for (const s of statements) await s.query(trx, s.args, viaKysely.db)
      })
      const direct = runInTransaction(store.db, statements)
      if (fails === undefined) {
        await Promise.all([kysely, direct])
        expect(await auditRows(store.db)).toEqual(rows)
      } else {
        await expect(kysely).rejects.toThrow(fails)
        await expect(direct).rejects.toThrow(fails)
        expect(await auditRows(store.db)).toEqual([])
      }
      expect(await auditRows(store.db)).toEqual(await auditRows(viaKysely.db))
    } finally {
      await viaKysely.close()
    }
  })

  it("waits for another caller's open transaction instead of writing inside it", async () => {
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    let inserted: () => void = () => undefined
    const ready = new Promise<void>((resolve) => (inserted = resolve))
    const rolledBack = inTransaction(ctx, async (trx) => {
      await trx.insertInto('audit_events').values(audit('aud_x', 'token.minted')).execute()
      inserted()
      await held
      throw new Error('roll back')
    }).catch((error: unknown) => error)
    await ready
    let written = false
    const batch = runInTransaction(store.db, [
      { query: insertAudit, args: ['aud_y', 'token.minted', '{}'] },
    ]).then(() => (written = true))
    await new Promise((resolve) => setImmediate(resolve))
    expect(written).toBe(false)
    release()
    expect(await rolledBack).toEqual(new Error('roll back'))
    await batch
    expect(await auditRows(store.db)).toEqual([['aud_y', 'token.minted']])
  })
})
