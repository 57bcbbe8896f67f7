/**
 * Runs an end-to-end suite on PostgreSQL: the server gets a database of its own, created for
 * this run and dropped after. Skips when PostgreSQL is unreachable, fails instead with
 * KEYLESS_REQUIRE_POSTGRES=1 (CI).
 */
import pg from 'pg'
import { afterAll, describe, it } from 'vitest'
import { POSTGRES_URL, requirePostgres } from '../../support/env.js'
import type { StackOptions } from './stack.js'

async function admin<T>(run: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

export async function onPostgres(
  prefix: string,
  title: string,
  suite: (label: string, options: () => Promise<StackOptions>) => void,
): Promise<void> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`
  let available = true
  try {
    await admin((c) => c.query(`CREATE DATABASE ${name}`))
  } catch (error) {
    if (requirePostgres) throw error
    available = false
  }
  if (!available) {
    describe(`${title} (PostgreSQL)`, () => {
      it.skipIf(!available)(
        'needs PostgreSQL at KEYLESS_TEST_POSTGRES_URL (unreachable here)',
        () => undefined,
      )
    })
    return
  }
  suite('PostgreSQL', () => {
    const url = new URL(POSTGRES_URL)
    url.pathname = `/${name}`
    return Promise.resolve({ database: url.toString() })
  })
  afterAll(async () => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
  })
}
