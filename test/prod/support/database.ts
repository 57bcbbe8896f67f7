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
  drop(): Promise<void>
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
    drop: () =>
      asAdmin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await c.query(`DROP ROLE IF EXISTS ${name}`)
      }),
  }
}
