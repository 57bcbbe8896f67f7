/**
 * A replica survives losing its database: PostgreSQL terminates its connections and refuses it
 * for a while (a restart, a failover). The process keeps running, `/readyz` answers 503 while the
 * database is away and 200 again after, `/healthz` stays 200, and requests succeed afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCluster, type Cluster } from './support/cluster.js'
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/database.js'
import { until } from './support/sse.js'

async function readyz(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/readyz`)
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe.skipIf(!postgresAvailable)('losing the database (PostgreSQL)', () => {
  let db: TestDatabase
  let cluster: Cluster

  beforeAll(async () => {
    db = await createTestDatabase()
    cluster = await startCluster({ database: db.url, replicas: 2 })
  })
  afterAll(async () => {
    await cluster?.stop()
    await db?.drop()
  })

  it('both replicas keep running, report not ready meanwhile, and serve again', async () => {
    const [a, b] = cluster.replicas
    if (a === undefined || b === undefined) throw new Error('two replicas expected')
    for (const r of [a, b])
      expect(await readyz(r.url)).toEqual({
        status: 200,
        body: { ok: true, database: true, keys: true },
      })
    const org = await cluster.api<{ id: string }>(0, 'POST', '/api/v1/organizations', {
      name: 'Before',
    })

    await db.allowLogins(false)
    expect(await db.terminateConnections()).toBeGreaterThan(0)
    for (const r of [a, b]) {
      const down = await until('readyz to fail', async () => {
        const answer = await readyz(r.url)
        return answer.status === 503 ? answer : undefined
      })
      expect(down.body).toMatchObject({ ok: false, database: false })
      expect((await fetch(`${r.url}/healthz`)).status).toBe(200)
      // A request meanwhile gets an error answer, not a dropped connection.
      const res = await fetch(`${r.url}/api/v1/organizations/${org.id}`, {
        headers: { authorization: `Bearer ${cluster.adminKey}` },
      })
      expect(res.status).toBeGreaterThanOrEqual(400)
    }

    await db.allowLogins(true)
    for (const r of [a, b])
      await until('readyz to recover', async () =>
        (await readyz(r.url)).status === 200 ? true : undefined,
      )
    for (const [i, r] of [a, b].entries()) {
      expect(r.proc.child.exitCode).toBeNull()
      const got = await cluster.api<{ name: string }>(i, 'GET', `/api/v1/organizations/${org.id}`)
      expect(got.name).toBe('Before')
    }
    // Terminated once more without refusing logins: the very next requests succeed.
    await db.terminateConnections()
    const after = await cluster.api<{ id: string }>(1, 'POST', '/api/v1/organizations', {
      name: 'After',
    })
    expect(after.id).toMatch(/^org_/u)
    expect(a.proc.output()).not.toMatch(/Unhandled 'error' event/u)
  }, 60_000)
})
