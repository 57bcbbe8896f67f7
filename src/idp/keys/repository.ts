import { sql } from 'kysely'
import type { Store } from '../../store/database.js'
import type { SigningKeysTable } from '../../store/migrations/0002_signing_keys.js'

/** Rows of `signing_keys`. Rows are only inserted; a key's state follows from the times. */
export type SigningKeyRow = SigningKeysTable

const LOCK_ID = 7_042_002

export async function listKids(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('signing_keys').select('kid').execute()
  return rows.map((r) => r.kid)
}

export async function loadRows(store: Store, kids?: readonly string[]): Promise<SigningKeyRow[]> {
  if (kids?.length === 0) return []
  let query = store.db.selectFrom('signing_keys').selectAll()
  if (kids !== undefined) query = query.where('kid', 'in', kids)
  return query.execute()
}

export async function insertRow(store: Store, row: SigningKeyRow): Promise<void> {
  await store.db.insertInto('signing_keys').values(row).execute()
}

/**
 * Inserts `row` only when the table is empty (the very first key); false when another process
 * got there first. On PostgreSQL replicas starting together are serialized by an advisory lock.
 */
export async function insertFirstRow(store: Store, row: SigningKeyRow): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    if (store.dialect === 'postgres')
      await sql`SELECT pg_advisory_xact_lock(${LOCK_ID})`.execute(trx)
    const existing = await trx.selectFrom('signing_keys').select('kid').limit(1).execute()
    if (existing.length > 0) return false
    await trx.insertInto('signing_keys').values(row).execute()
    return true
  })
}
