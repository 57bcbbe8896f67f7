/**
 * Store factories for contract tests: SQLite in memory, and PostgreSQL in a fresh schema per
 * store (dropped on close). PostgreSQL is skipped when unreachable, unless
 * KEYLESS_REQUIRE_POSTGRES=1, where it fails.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openStore, type Store } from '../../src/store/database.js'
import { POSTGRES_URL, requirePostgres } from './env.js'

export interface StoreFactory {
  readonly dialect: 'sqlite' | 'postgres'
  /** Whether the dialect can be used here; when false, tests skip. */
  readonly available: boolean
  open(): Promise<Store>
}

async function postgresReachable(): Promise<boolean> {
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

const pgUp = await postgresReachable()
if (!pgUp && requirePostgres)
  throw new Error(`KEYLESS_REQUIRE_POSTGRES=1 but PostgreSQL is not reachable at ${POSTGRES_URL}`)

export const sqliteFactory: StoreFactory = {
  dialect: 'sqlite',
  available: true,
  open: () => openStore({ url: ':memory:' }),
}

export const postgresFactory: StoreFactory = {
  dialect: 'postgres',
  available: pgUp,
  async open() {
    const schema = `t_${randomBytes(6).toString('hex')}`
    const store = await openStore({ url: POSTGRES_URL, schema, poolSize: 4 })
    return {
      ...store,
      async close() {
        await store.close()
        const client = new pg.Client({ connectionString: POSTGRES_URL })
        await client.connect()
        try {
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
        } finally {
          await client.end()
        }
      },
    }
  },
}

export const storeFactories: readonly StoreFactory[] = [sqliteFactory, postgresFactory]
