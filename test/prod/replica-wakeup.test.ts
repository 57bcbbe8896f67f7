/**
 * A deployment made on replica A wakes a claim waiting on replica B at once (PostgreSQL
 * LISTEN/NOTIFY, src/server/queue-relay.ts), also after B's listening connection was terminated;
 * a replica whose connections were cut while the deployment was made finds it once it listens
 * again (the notification itself is lost).
 * The replicas' periodic re-check is made longer than the long poll (`KEYLESS_CLAIM_RECHECK_MS`),
 * so without the notification B's claim would find the deployment only when its wait ends, after
 * the test's own time is up: each test gives up well before the long poll would end.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LISTENER_APPLICATION_NAME } from '../../src/store/database.js'
import { freePort, startProcess, waitForUrl, type Proc } from '../e2e/support/stack.js'
import { startCluster, type Cluster } from './support/cluster.js'
import {
  asAdmin,
  createTestDatabase,
  postgresAvailable,
  type TestDatabase,
} from './support/database.js'
import { until } from './support/sse.js'
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js'

/** The longest long poll the agent API allows. */
const WAIT_SECONDS = 30
/** Each test's time: the claim must answer before its long poll would have ended. */
const TEST_MS = 20_000

/** Longer than any long poll: only a wake-up ends a claim's wait early. */
const RECHECK_MS = '600000'

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
      env: { KEYLESS_CLAIM_RECHECK_MS: RECHECK_MS },
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

  async function claimOn(replica: string, waitSeconds: number): Promise<Claim> {
    const res = await fetch(`${replica}/agent/v1/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ waitSeconds }),
    })
    const body = res.status === 200 ? ((await res.json()) as { deployment: { id: string } }) : null
    return { status: res.status, deploymentId: body?.deployment.id }
  }

  async function createOnA(): Promise<string> {
    return (await cluster.api(0, 'POST', `/api/v1/environments/${env}/deployments`, {})).id
  }

  /**
   * A claim waits on `replica`; then `create` makes a deployment (on A): the claim answers with
   * it, before its wait ends. The deployment then succeeds, freeing the environment.
   */
  async function claimedThrough(replica: string, create = createOnA): Promise<void> {
    expect(await claimOn(replica, 0)).toEqual({ status: 204, deploymentId: undefined })
    const waiting = claimOn(replica, WAIT_SECONDS)
    // Lets the claim look at the empty queue first, so that only a wake-up can end its wait.
    await new Promise((r) => setTimeout(r, 1500))
    const created = await create()
    expect(await waiting).toEqual({ status: 200, deploymentId: created })
    const done = await fetch(`${replica}/agent/v1/deployments/${created}/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'succeeded' }),
    })
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
      await claimedThrough(cluster.replicas[1]!.url)
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
      await claimedThrough(cluster.replicas[1]!.url)
    },
    TEST_MS,
  )

  describe('a replica cut off from the database while the deployment is made', () => {
    let proxy: TcpProxy
    let replica: Proc
    let url: string

    beforeAll(async () => {
      const target = new URL(db.url)
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
      const proxied = new URL(db.url)
      proxied.port = String(proxy.port)
      const port = await freePort()
      url = `http://127.0.0.1:${port}`
      replica = startProcess(
        ['server', '--port', String(port), '--data-dir', join(cluster.dir, 'replica-cut')],
        { ...cluster.env, KEYLESS_DATABASE_URL: proxied.toString() },
      )
      await waitForUrl(`${url}/readyz`, replica)
    }, 90_000)
    afterAll(async () => {
      await replica?.kill('SIGKILL')
      await proxy?.close()
    })

    it(
      'finds it once it listens again, though the notification was lost',
      async () => {
        await claimedThrough(url, async () => {
          proxy.cut()
          try {
            return await createOnA()
          } finally {
            proxy.restore()
          }
        })
      },
      TEST_MS,
    )
  })
})
