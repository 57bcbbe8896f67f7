/**
 * An agent given both replicas' URLs (`keyless agent --server a,b`) moves to the surviving one:
 * the replica it talks to is SIGKILLed while its deployment is printing and stays down. The
 * deployment succeeds through the other replica (lease renewals, log batches and the final report
 * go there), its step ran once, its log holds every line once and in order, and the agent logged
 * which replica it moved to.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Json } from '../e2e/support/stack.js'
import { postgresAvailable } from './support/database.js'
import { usePostgresCluster } from './support/postgres-cluster.js'
import { readSse, until } from './support/sse.js'

const LINES = 40
/** Every call of the test goes to the replica that survives. */
const SURVIVOR = 1

describe.skipIf(!postgresAvailable)('agent failover between replicas (PostgreSQL)', () => {
  const pg = usePostgresCluster({ replicas: 2, leaseSeconds: 30 })
  const api = pg.apiOf(SURVIVOR)

  async function environment(org: string, counter: string): Promise<string> {
    const project = await api('POST', `/api/v1/organizations/${org}/projects`, { name: 'p' })
    const template = await api('POST', `/api/v1/organizations/${org}/templates`, {
      name: 'print',
      type: 'custom',
      steps: [
        { name: 'count', run: `echo ran >> '${counter}'` },
        { name: 'print', run: `for i in $(seq 1 ${LINES}); do echo line-$i; sleep 0.15; done` },
      ],
    })
    const env = await api('POST', `/api/v1/projects/${project.id}/environments`, {
      name: 'e',
      templateId: template.id,
    })
    return env.id as string
  }

  it('finishes the deployment through the other replica with its log complete', async () => {
    const [first, survivor] = pg.cluster().replicas
    if (first === undefined || survivor === undefined) throw new Error('two replicas expected')
    const org = await api('POST', '/api/v1/organizations', { name: 'failover' })
    const token = await api('POST', `/api/v1/organizations/${org.id}/agent-tokens`, {
      name: 'failover-agent',
    })
    // The first URL is the one the agent talks to until it fails.
    const agent = pg.cluster().startAgent([0, 1], token.token, { concurrency: 1 })
    const counter = join(pg.cluster().dir, 'ran')
    const env = await environment(org.id, counter)
    const dep = await api('POST', `/api/v1/environments/${env}/deployments`, {})
    const id = dep.id as string
    await until(`${id} to print`, async () => {
      const logs = await api('GET', `/api/v1/deployments/${id}/logs?format=json`)
      return (logs.items as Json[]).some((l) => l.text === 'line-3') ? true : undefined
    })
    expect(agent.proc.output()).not.toMatch(/moved to the next one/u)

    await first.kill('SIGKILL')
    const done = await until(
      `${id} to finish`,
      async () => {
        const d = await api('GET', `/api/v1/deployments/${id}`)
        return ['succeeded', 'failed', 'cancelled'].includes(d.status) ? d : undefined
      },
      60_000,
    )
    expect({ status: done.status, failure: done.failure }).toEqual({
      status: 'succeeded',
      failure: null,
    })
    const events = await readSse(
      `${survivor.url}/api/v1/deployments/${id}/logs`,
      pg.cluster().adminKey,
    )
    const lines = events.filter((e) => e.event === 'log').map((e) => e.data as Json)
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1))
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual(
      Array.from({ length: LINES }, (_, i) => `line-${i + 1}`),
    )
    expect(events.at(-1)).toMatchObject({ event: 'end', data: { status: 'succeeded' } })
    expect(readFileSync(counter, 'utf8')).toBe('ran\n')

    // The killed replica stayed down; the agent said where it went, and never showed its token.
    expect(first.proc.child.signalCode).toBe('SIGKILL')
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow()
    const output = agent.proc.output()
    const moves = output.split('\n').filter((l) => l.includes('moved to the next one'))
    expect(moves.length).toBeGreaterThan(0)
    for (const move of moves) expect(JSON.parse(move)).toMatchObject({ to: survivor.url })
    expect(output).not.toContain(token.token as string)
    expect(output).not.toMatch(/did not reach|lease lost|refused a report/u)
  }, 150_000)
})
