/**
 * A claim abandoned by a stopping agent goes back to the queue at once, not after its lease
 * (src/agent/agent.ts, `POST /agent/v1/claim/release`, the claim route): a real `keyless server` on
 * PostgreSQL, a real agent whose claim is caught in the middle of its transaction (the audit table
 * locked, test/prod/support/database.ts), SIGTERM to the agent then. Once the claim commits, the
 * deployment is queued again, audited `deployment.requeued`, and another agent runs it once,
 * while its 300 s lease is far from over.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Json, Proc } from '../e2e/support/stack.js'
import { postgresAvailable } from './support/database.js'
import { usePostgresCluster } from './support/postgres-cluster.js'
import { until } from './support/sse.js'

const LEASE_SECONDS = 300

const exited = (proc: Proc): Promise<number | null> =>
  new Promise((resolve) => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) resolve(proc.child.exitCode)
    else proc.child.once('exit', (code) => resolve(code))
  })

describe.skipIf(!postgresAvailable)('a stopping agent gives its claim up (PostgreSQL)', () => {
  const pg = usePostgresCluster({ replicas: 1, leaseSeconds: LEASE_SECONDS })
  const api = pg.apiOf(0)

  it('queues the deployment again at once for the next agent', async () => {
    const org = await api('POST', '/api/v1/organizations', { name: 'stop-claim' })
    const token = (
      await api('POST', `/api/v1/organizations/${org.id}/agent-tokens`, { name: 'agents' })
    ).token as string
    const counter = join(pg.cluster().dir, 'ran')
    const project = await api('POST', `/api/v1/organizations/${org.id}/projects`, { name: 'p' })
    const template = await api('POST', `/api/v1/organizations/${org.id}/templates`, {
      name: 'once',
      type: 'custom',
      steps: [{ name: 'count', run: `echo ran >> '${counter}'` }],
    })
    const env = await api('POST', `/api/v1/projects/${project.id}/environments`, {
      name: 'e',
      templateId: template.id,
    })
    const id = (await api('POST', `/api/v1/environments/${env.id}/deployments`, {})).id as string

    // The first agent's claim takes the deployment and then waits for the audit table.
    const lock = await pg.db().lockTable('audit_events')
    let stopped: number | null
    try {
      const first = pg.cluster().startAgent(0, token, { concurrency: 1, name: 'first' })
      await lock.waiter()
      await first.kill('SIGTERM')
      stopped = await exited(first.proc)
    } finally {
      await lock.release()
    }
    expect(stopped).toBe(0)

    const second = pg.cluster().startAgent(0, token, { concurrency: 1, name: 'second' })
    const done = await until(
      `${id} to finish`,
      async () => {
        const d = await api('GET', `/api/v1/deployments/${id}`)
        return ['succeeded', 'failed', 'cancelled'].includes(d.status) ? d : undefined
      },
      60_000,
    )
    expect(done.status).toBe('succeeded')
    expect(done.agentName).toBe('second#0')
    expect(readFileSync(counter, 'utf8')).toBe('ran\n')

    const audit = await api('GET', `/api/v1/organizations/${org.id}/audit?deploymentId=${id}`)
    const events = (audit.items as Json[]).map((e) => e.action as string)
    expect(events.filter((a) => a === 'deployment.claimed')).toHaveLength(2)
    const requeued = (audit.items as Json[]).filter((e) => e.action === 'deployment.requeued')
    expect(requeued).toHaveLength(1)
    // Given up, not expired: the lease of the first claim had minutes to go.
    expect(requeued[0]?.details?.reason).not.toMatch(/lease expired/u)
    await second.kill('SIGTERM')
  }, 150_000)
})
