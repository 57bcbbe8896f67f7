/**
 * The agent keeps every report until the control plane has it: the only server process is
 * SIGKILLed while deployments are running and printing, stays down for a few seconds (shorter
 * than the lease) and starts again on the same port and data dir. Every deployment succeeds, its
 * step ran once, and the log read back through SSE holds every line once and in order.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Json } from '../e2e/support/stack.js'
import { startCluster, type Cluster } from './support/cluster.js'
import { readSse, until } from './support/sse.js'

const LINES = 40

describe('agent outbox across a control-plane outage', () => {
  let cluster: Cluster

  beforeAll(async () => {
    cluster = await startCluster({ replicas: 1, leaseSeconds: 30 })
  }, 90_000)
  afterAll(async () => {
    await cluster?.stop()
  })

  async function environment(org: string, counter: string, name: string): Promise<string> {
    const project = await cluster.api(0, 'POST', `/api/v1/organizations/${org}/projects`, { name })
    const template = await cluster.api(0, 'POST', `/api/v1/organizations/${org}/templates`, {
      name,
      type: 'custom',
      steps: [
        { name: 'count', run: `echo ran >> '${counter}'` },
        { name: 'print', run: `for i in $(seq 1 ${LINES}); do echo line-$i; sleep 0.15; done` },
      ],
    })
    const env = await cluster.api(0, 'POST', `/api/v1/projects/${project.id}/environments`, {
      name,
      templateId: template.id,
    })
    return env.id as string
  }

  it('loses no report, runs nothing twice and keeps the log complete and in order', async () => {
    const org = await cluster.api(0, 'POST', '/api/v1/organizations', { name: 'outbox' })
    const token = await cluster.api(0, 'POST', `/api/v1/organizations/${org.id}/agent-tokens`, {
      name: 'outbox-agent',
    })
    const agent = cluster.startAgent(0, token.token, { concurrency: 2 })
    const counters = ['a', 'b'].map((n) => join(cluster.dir, `ran-${n}`))
    const ids: string[] = []
    for (const [i, counter] of counters.entries()) {
      const env = await environment(org.id, counter, `env-${i}`)
      const dep = await cluster.api(0, 'POST', `/api/v1/environments/${env}/deployments`, {})
      ids.push(dep.id as string)
    }
    // Both are printing when the server goes away.
    for (const id of ids)
      await until(`${id} to print`, async () => {
        const logs = await cluster.api(0, 'GET', `/api/v1/deployments/${id}/logs?format=json`)
        return (logs.items as Json[]).some((l) => l.text === 'line-3') ? true : undefined
      })
    const [server] = cluster.replicas
    if (server === undefined) throw new Error('one replica expected')
    await server.kill('SIGKILL')
    await new Promise((r) => setTimeout(r, 4000))
    await server.restart()

    for (const id of ids) {
      const done = await until(
        `${id} to finish`,
        async () => {
          const d = await cluster.api(0, 'GET', `/api/v1/deployments/${id}`)
          return ['succeeded', 'failed', 'cancelled'].includes(d.status) ? d : undefined
        },
        60_000,
      )
      expect({ id, status: done.status, failure: done.failure }).toEqual({
        id,
        status: 'succeeded',
        failure: null,
      })
      const events = await readSse(`${server.url}/api/v1/deployments/${id}/logs`, cluster.adminKey)
      const lines = events.filter((e) => e.event === 'log').map((e) => e.data as Json)
      expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1))
      expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual(
        Array.from({ length: LINES }, (_, i) => `line-${i + 1}`),
      )
      expect(events.at(-1)).toMatchObject({ event: 'end', data: { status: 'succeeded' } })
    }
    for (const counter of counters) expect(readFileSync(counter, 'utf8')).toBe('ran\n')
    expect(agent.proc.output()).not.toMatch(/could not ship|did not reach|lease lost/u)
  }, 120_000)
})
