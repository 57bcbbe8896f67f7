/**
 * Stores for identity-provider tests, on SQLite (a temp file, so several stores can share it
 * like several processes) and PostgreSQL (each database in its own schema, dropped afterwards).
 * PostgreSQL tests skip when the server is not there, unless KEYLESS_REQUIRE_POSTGRES=1.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import { openStore, type Dialect, type Store } from '../../src/store/database.js'
import { POSTGRES_URL, requirePostgres } from '../support/env.js'

export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** The dialects to run: SQLite always; PostgreSQL when reachable or required (then it fails). */
export async function testDialects(): Promise<Dialect[]> {
  return requirePostgres || (await postgresReachable()) ? ['sqlite', 'postgres'] : ['sqlite']
}

/** One database; `open()` gives another connection to it, as another process would have. */
export interface TestDatabase {
  readonly dialect: Dialect
  /** The first store, opened (and migrated) by `createTestDatabase`. */
  readonly store: Store
  open(): Promise<Store>
  /** Closes every store opened and removes the database. */
  cleanup(): Promise<void>
}

export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const stores: Store[] = []
  let open: () => Promise<Store>
  let remove: () => Promise<void>
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'keyless-idp-'))
    open = () => openStore({ url: join(dir, 'keyless.db') })
    remove = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }))
  } else {
    const schema = `idp_test_${randomBytes(6).toString('hex')}`
    open = () => openStore({ url: POSTGRES_URL, schema, poolSize: 4 })
    remove = async () => {
      const s = await openStore({ url: POSTGRES_URL, migrate: false })
      try {
        await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(s.db)
      } finally {
        await s.close()
      }
    }
  }
  const tracked = async (): Promise<Store> => {
    const s = await open()
    stores.push(s)
    return s
  }
  const store = await tracked()
  return {
    dialect,
    store,
    open: tracked,
    async cleanup() {
      for (const s of stores.splice(0)) await s.close()
      await remove()
    },
  }
}
