/**
 * A PostgreSQL database of its own for one test, owned by a role of its own, so that the test
 * can cut exactly its servers off (refuse the role's logins, terminate the role's connections)
 * without touching any other test. Unavailable → the test skips, unless
 * KEYLESS_REQUIRE_POSTGRES=1, where it fails.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { POSTGRES_URL, requirePostgres } from '../../support/env.js'

export interface TestDatabase {
  /** `postgres://<role>@host/<database>`, for `--database`. */
  readonly url: string
  readonly role: string
  /** Terminates every connection of the role; resolves with how many there were. */
  terminateConnections(): Promise<number>
  /** Refuses (false) or allows (true) new logins of the role. */
  allowLogins(allowed: boolean): Promise<void>
  /**
   * Locks `table` (ACCESS EXCLUSIVE, as the administrator) so that the role's queries on it wait:
   * a request can then be caught in the middle of its query, deterministically.
   */
  lockTable(table: string): Promise<TableLock>
  drop(): Promise<void>
}

export interface TableLock {
  /** Resolves once one of the role's queries waits for the lock. */
  waiter(): Promise<void>
  /** Ends the lock (the waiting queries go on) and its connection; again: nothing. */
  release(): Promise<void>
}

/** The role's backends that wait for a lock. */
async function lockWaiters(role: string): Promise<number> {
  return asAdmin(async (c) => {
    const result = await c.query(
      "SELECT 1 FROM pg_stat_activity WHERE usename = $1 AND wait_event_type = 'Lock'",
      [role],
    )
    return result.rowCount ?? 0
  })
}

async function lockTable(database: string, role: string, table: string): Promise<TableLock> {
  const url = new URL(POSTGRES_URL)
  url.pathname = `/${database}`
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 })
  await client.connect()
  await client.query('BEGIN')
  await client.query(`LOCK TABLE ${pg.escapeIdentifier(table)} IN ACCESS EXCLUSIVE MODE`)
  let released = false
  return {
    async waiter() {
      const deadline = Date.now() + 15_000
      while ((await lockWaiters(role)) === 0) {
        if (Date.now() > deadline) throw new Error(`no query of ${role} waited for ${table}`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    async release() {
      if (released) return
      released = true
      await client.query('COMMIT')
      await client.end()
    },
  }
}

export async function asAdmin<T>(run: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 })
  await client.connect()
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

async function reachable(): Promise<boolean> {
  try {
    await asAdmin((c) => c.query('SELECT 1'))
    return true
  } catch (error) {
    if (requirePostgres) throw error
    return false
  }
}

export const postgresAvailable = await reachable()

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `kl_prod_${randomBytes(5).toString('hex')}`
  await asAdmin(async (c) => {
    await c.query(`CREATE ROLE ${name} LOGIN`)
    await c.query(`CREATE DATABASE ${name} OWNER ${name}`)
  })
  const url = new URL(POSTGRES_URL)
  url.username = name
  url.password = ''
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    role: name,
    terminateConnections: () =>
      asAdmin(async (c) => {
        const result = await c.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1',
          [name],
        )
        return result.rowCount ?? 0
      }),
    allowLogins: (allowed) =>
      asAdmin(async (c) => {
        await c.query(`ALTER ROLE ${name} ${allowed ? 'LOGIN' : 'NOLOGIN'}`)
      }),
    lockTable: (table) => lockTable(name, name, table),
    drop: () =>
      asAdmin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await c.query(`DROP ROLE IF EXISTS ${name}`)
      }),
  }
}
