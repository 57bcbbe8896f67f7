/**
 * Two replicas on PostgreSQL, four agents, a burst of deployments created by four clients at once
 * through whichever replica answers. Mid-burst (half of them created) one replica and one agent
 * are SIGKILLed, PostgreSQL terminates every connection once, and both are restarted. Nothing is
 * lost (every deployment created once and final), each step's side effect happened once (never
 * twice), `agent lost` appears only on deployments the killed agent held, and clients saw no 5xx
 * answer and no connection error except from the killed replica while it was down and from
 * requests in flight when the database cut the connections, each retried on the other replica.
 * The lease (20 s) outlasts the replica's outage (a restart from source under load): agents of
 * the killed replica keep their deployments.
 *
 * KEYLESS_PROD_BURST sets the number of deployments (default 300: 35–50 s on a loaded two-core
 * machine; a smaller number for a slower one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { processEnv } from '../../src/shared/config/load.js'
import { runBurst, type BurstResult } from './support/burst.js'
import type { ClientFault } from './support/client.js'
import { startCluster, type Cluster } from './support/cluster.js'
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/database.js'

const DEPLOYMENTS = Number(processEnv()['KEYLESS_PROD_BURST'] ?? 300)
const ENVIRONMENTS = 30
/** How long after a fault ends a request sent meanwhile may still fail from it. */
const SETTLE_MS = 2000

describe.skipIf(!postgresAvailable)('replicas and agents under faults (PostgreSQL)', () => {
  let db: TestDatabase
  let cluster: Cluster

  beforeAll(async () => {
    db = await createTestDatabase()
    cluster = await startCluster({ database: db.url, replicas: 2, leaseSeconds: 20 })
  }, 90_000)
  afterAll(async () => {
    await cluster?.stop()
    await db?.drop()
  })

  it(`${DEPLOYMENTS} deployments: nothing lost, nothing run twice, errors only from the faults and all retried, only the dead agent blamed`, async () => {
    const outage = { killedAt: 0, restartedAt: 0, terminated: 0, cutAt: 0, cutDoneAt: 0 }
    const burst: BurstResult = await runBurst(cluster, {
      deployments: DEPLOYMENTS,
      environments: ENVIRONMENTS,
      step: 'sleep 0.2',
      fault: {
        when: ({ created }) => created >= DEPLOYMENTS / 2,
        run: async (agents) => {
          const [, replica] = cluster.replicas
          outage.killedAt = Date.now()
          await Promise.all([replica!.kill('SIGKILL'), agents[0]!.kill('SIGKILL')])
          outage.cutAt = Date.now()
          outage.terminated = await db.terminateConnections()
          outage.cutDoneAt = Date.now()
          await new Promise((r) => setTimeout(r, 1500))
          await replica!.restart()
          agents[0]!.restart()
          outage.restartedAt = Date.now()
        },
      },
    })

    // Nothing lost, nothing created twice: one deployment per create the clients sent.
    expect(new Set(burst.ids).size).toBe(DEPLOYMENTS)
    expect(burst.deployments.map((d) => d.id).sort()).toEqual([...burst.ids].sort())
    expect(outage.restartedAt).toBeGreaterThan(0)
    expect(outage.terminated).toBeGreaterThan(0)

    // Nothing ran twice; a deployment that succeeded ran once; only the dead agent is blamed.
    expect([...burst.runs].filter(([, n]) => n > 1)).toEqual([])
    for (const d of burst.deployments) {
      if (d.status === 'succeeded') expect(burst.runs.get(d.id)).toBe(1)
      else
        expect({ id: d.id, code: d.failure?.code, agent: d.agentName }).toEqual({
          id: d.id,
          code: 'agent_lost',
          agent: expect.stringMatching(/^agent-0#/u),
        })
    }

    // Every call of the clients succeeded in the end (runBurst throws otherwise). On the way they
    // saw connection errors only from the killed replica while it was down, and 5xx answers only
    // from requests in flight when PostgreSQL terminated the connections (503
    // database_unavailable); each was retried on the next replica.
    const during = (f: ClientFault, from: number, to: number): boolean =>
      f.failedAt >= from && f.at <= to + SETTLE_MS
    const unexpected = burst.faults.filter(
      (f) =>
        !(
          (f.replica === 1 &&
            f.error.startsWith('connection:') &&
            during(f, outage.killedAt, outage.restartedAt)) ||
          (f.error === '503 database_unavailable' && during(f, outage.cutAt, outage.cutDoneAt))
        ),
    )
    expect(unexpected).toEqual([])
  }, 170_000)
})
