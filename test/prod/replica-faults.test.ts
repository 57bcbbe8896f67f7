/**
 * Two replicas on PostgreSQL, four agents, a burst of no-op deployments; mid-burst one replica
 * and one agent are SIGKILLed and restarted, and PostgreSQL terminates every connection once.
 * Every deployment ends, each step's side effect happened once (never twice), and `agent lost`
 * appears only on deployments the killed agent held. The lease (20 s) outlasts the replica's
 * outage (a restart from source under load): agents of the killed replica keep their deployments.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Json } from '../e2e/support/stack.js'
import { startCluster, type Cluster } from './support/cluster.js'
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/database.js'
import { until } from './support/sse.js'

const DEPLOYMENTS = 120
const ENVIRONMENTS = 24
const FINAL = ['succeeded', 'failed', 'cancelled']

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

  /** A REST call through whichever replica answers. */
  async function api(method: string, path: string, body?: unknown): Promise<Json> {
    let last: unknown
    for (let attempt = 0; attempt < 40; attempt++) {
      try {
        return await cluster.api(attempt % 2, method, path, body)
      } catch (error) {
        last = error
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    throw last
  }

  it('loses nothing, runs nothing twice, and blames only the agent that died', async () => {
    const ran = join(cluster.dir, 'ran')
    const org = await api('POST', '/api/v1/organizations', { name: 'faults' })
    const token = (await api('POST', `/api/v1/organizations/${org.id}/agent-tokens`, { name: 'a' }))
      .token as string
    const project = await api('POST', `/api/v1/organizations/${org.id}/projects`, { name: 'p' })
    const template = await api('POST', `/api/v1/organizations/${org.id}/templates`, {
      name: 'noop',
      type: 'custom',
      steps: [{ name: 'mark', run: `echo "$KEYLESS_DEPLOYMENT_ID" >> '${ran}'; sleep 0.2` }],
    })
    const envs: string[] = []
    for (let i = 0; i < ENVIRONMENTS; i++)
      envs.push(
        (
          await api('POST', `/api/v1/projects/${project.id}/environments`, {
            name: `e${i}`,
            templateId: template.id,
          })
        ).id as string,
      )
    const agents = [0, 1, 0, 1].map((replica, i) =>
      cluster.startAgent(replica, token, { concurrency: 2, name: `agent-${i}` }),
    )
    const ids: string[] = []
    for (let i = 0; i < DEPLOYMENTS; i++)
      ids.push(
        (await api('POST', `/api/v1/environments/${envs[i % ENVIRONMENTS]}/deployments`, {})).id,
      )

    const finished = async (): Promise<Json[]> => {
      const all = await Promise.all(ids.map((id) => api('GET', `/api/v1/deployments/${id}`)))
      return all.filter((d) => FINAL.includes(d.status as string))
    }
    await until('a third to finish', async () =>
      (await finished()).length >= DEPLOYMENTS / 3 ? true : undefined,
    )
    const [, replica] = cluster.replicas
    const doomed = agents[0]
    if (replica === undefined || doomed === undefined) throw new Error('setup')
    await Promise.all([replica.kill('SIGKILL'), doomed.kill('SIGKILL')])
    await db.terminateConnections()
    await new Promise((r) => setTimeout(r, 1500))
    await replica.restart()
    doomed.restart()

    const all = await until(
      'every deployment to finish',
      async () => {
        const done = await finished()
        return done.length === DEPLOYMENTS ? done : undefined
      },
      60_000,
    )
    const counts = new Map<string, number>()
    for (const id of readFileSync(ran, 'utf8').trim().split('\n'))
      counts.set(id, (counts.get(id) ?? 0) + 1)
    expect([...counts.values()].filter((n) => n > 1)).toEqual([])
    for (const d of all) {
      if (d.status === 'succeeded') expect(counts.get(d.id)).toBe(1)
      else
        expect({ id: d.id, code: d.failure?.code, agent: d.agentName }).toEqual({
          id: d.id,
          code: 'agent_lost',
          agent: expect.stringMatching(/^agent-0#/u),
        })
    }
  }, 150_000)
})
