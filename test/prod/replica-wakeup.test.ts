/**
 * A deployment made on replica A wakes a claim waiting on replica B at once (PostgreSQL
 * LISTEN/NOTIFY, src/server/queue-relay.ts), also after B's listening connection was terminated.
 * The replicas' periodic re-check is made longer than the long poll (`KEYLESS_CLAIM_RECHECK_MS`),
 * so without the notification B's claim would find the deployment only when its wait ends, after
 * the test's own time is up: each test gives up well before the long poll would end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LISTENER_APPLICATION_NAME } from '../../src/store/database.js'
import { startCluster, type Cluster } from './support/cluster.js'
import {
  asAdmin,
  createTestDatabase,
  postgresAvailable,
  type TestDatabase,
} from './support/database.js'
import { until } from './support/sse.js'

/** The longest long poll the agent API allows. */
const WAIT_SECONDS = 30
/** Each test's time: B's claim must answer before its long poll would have ended. */
const TEST_MS = 20_000

interface Claim {
  status: number
  deploymentId: string | undefined
}

describe.skipIf(!postgresAvailable)('waking claims across replicas (PostgreSQL)', () => {
  let db: TestDatabase
  let cluster: Cluster
  let env: string
  let agentToken: string

  beforeAll(async () => {
    db = await createTestDatabase()
    cluster = await startCluster({
      database: db.url,
      replicas: 2,
      env: { KEYLESS_CLAIM_RECHECK_MS: '600000' },
    })
    const org = await cluster.api(0, 'POST', '/api/v1/organizations', { name: 'wake' })
    const project = await cluster.api(0, 'POST', `/api/v1/organizations/${org.id}/projects`, {
      name: 'wake',
    })
    const template = await cluster.api(0, 'POST', `/api/v1/organizations/${org.id}/templates`, {
      name: 'wake',
      type: 'custom',
      steps: [{ name: 'step', run: 'true' }],
    })
    env = (
      await cluster.api(0, 'POST', `/api/v1/projects/${project.id}/environments`, {
        name: 'wake',
        templateId: template.id,
      })
    ).id
    agentToken = (
      await cluster.api(0, 'POST', `/api/v1/organizations/${org.id}/agent-tokens`, {
        name: 'wake',
      })
    ).token
  }, 90_000)
  afterAll(async () => {
    await cluster?.stop()
    await db?.drop()
  })

  async function claimOn(replica: number, waitSeconds: number): Promise<Claim> {
    const res = await fetch(`${cluster.replicas[replica]!.url}/agent/v1/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ waitSeconds }),
    })
    const body = res.status === 200 ? ((await res.json()) as { deployment: { id: string } }) : null
    return { status: res.status, deploymentId: body?.deployment.id }
  }

  /** B waits; then A makes a deployment: B's claim answers with it, before its wait ends. */
  async function claimedThroughB(): Promise<void> {
    expect(await claimOn(1, 0)).toEqual({ status: 204, deploymentId: undefined })
    const waiting = claimOn(1, WAIT_SECONDS)
    // Lets B's claim look at the empty queue first, so that only a wake-up can end its wait.
    await new Promise((r) => setTimeout(r, 1500))
    const created = await cluster.api(0, 'POST', `/api/v1/environments/${env}/deployments`, {})
    expect(await waiting).toEqual({ status: 200, deploymentId: created.id })
    const done = await fetch(
      `${cluster.replicas[1]!.url}/agent/v1/deployments/${created.id}/status`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'succeeded' }),
      },
    )
    expect(done.status).toBe(200)
  }

  /** The replicas' listening connections, by backend pid. */
  async function listeners(): Promise<number[]> {
    return asAdmin(async (c) => {
      const result = await c.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE usename = $1 AND application_name = $2 AND query LIKE 'LISTEN %'",
        [db.role, LISTENER_APPLICATION_NAME],
      )
      return result.rows.map((r) => r.pid)
    })
  }

  it(
    'a deployment created on A is claimed through a claim waiting on B',
    async () => {
      await claimedThroughB()
    },
    TEST_MS,
  )

  it(
    'B listens again after its connection is terminated, and is woken as before',
    async () => {
      const before = await until(
        'both replicas listening',
        async () => {
          const pids = await listeners()
          return pids.length === 2 ? pids : undefined
        },
        5000,
      )
      const terminated = await asAdmin(async (c) => {
        const result = await c.query(
          'SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) pid',
          [before],
        )
        return result.rowCount
      })
      expect(terminated).toBe(2)
      await until(
        'both replicas listening on new connections',
        async () => {
          const pids = await listeners()
          return pids.length === 2 && pids.every((p) => !before.includes(p)) ? pids : undefined
        },
        5000,
      )
      await claimedThroughB()
    },
    TEST_MS,
  )
})
