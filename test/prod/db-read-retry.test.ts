/**
 * A read that loses its database connection in the middle is retried inside the server: a GET
 * whose query PostgreSQL terminates (`pg_terminate_backend`) answers 200 from a new connection
 * instead of `503 database_unavailable`. A write caught the same way is not retried (it may have
 * committed): it still answers 503 and made nothing. The queries are caught in the middle by a
 * table lock held by the administrator, so the cut hits them every time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Json } from '../e2e/support/stack.js'
import { startCluster, type Cluster } from './support/cluster.js'
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/database.js'

describe.skipIf(!postgresAvailable)('reads retried over a database connection cut', () => {
  let db: TestDatabase
  let cluster: Cluster
  let org: string

  beforeAll(async () => {
    db = await createTestDatabase()
    cluster = await startCluster({ database: db.url, replicas: 1 })
    org = (await cluster.api<{ id: string }>(0, 'POST', '/api/v1/organizations', { name: 'Cut' }))
      .id
  }, 90_000)
  afterAll(async () => {
    await cluster?.stop()
    await db?.drop()
  })

  /** Sends the request while `table` is locked, cuts the connections once it waits, unlocks. */
  async function cutDuring(table: string, method: string, path: string, body?: unknown) {
    const [replica] = cluster.replicas
    if (replica === undefined) throw new Error('one replica expected')
    const lock = await db.lockTable(table)
    try {
      const answer = fetch(`${replica.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${cluster.adminKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      await lock.waiter()
      expect(await db.terminateConnections()).toBeGreaterThan(0)
      await lock.release()
      const res = await answer
      return { status: res.status, body: (await res.json()) as unknown }
    } finally {
      await lock.release()
    }
  }

  it('answers a GET whose query was cut from a new connection', async () => {
    const got = await cutDuring('organizations', 'GET', `/api/v1/organizations/${org}`)
    expect(got).toMatchObject({ status: 200, body: { id: org, name: 'Cut' } })
  })

  it('does not retry a write: 503 database_unavailable, and nothing was made', async () => {
    const got = await cutDuring('projects', 'POST', `/api/v1/organizations/${org}/projects`, {
      name: 'cut-write',
    })
    expect(got).toMatchObject({ status: 503, body: { error: { code: 'database_unavailable' } } })
    const projects = await cluster.api<{ items: Json[] }>(
      0,
      'GET',
      `/api/v1/organizations/${org}/projects`,
    )
    expect(projects.items.map((p) => p.name)).not.toContain('cut-write')
  })
})
