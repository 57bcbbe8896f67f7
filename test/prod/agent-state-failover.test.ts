/**
 * The Terraform state of a running deployment follows the agent to the surviving replica
 * (src/agent/state-forwarder.ts): two `keyless server` replicas on one PostgreSQL database, an
 * agent given both (`--server a,b`), a real `terraform apply` that holds the state lock taken
 * through the first replica while its provisioner waits; the first replica is SIGKILLed then.
 * The apply writes its state and releases the lock through the second replica, and the
 * deployment succeeds with its state stored, unlocked and readable there. Without the
 * forwarder, Terraform's writes would keep going to the dead replica and the deployment fail.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Json } from '../e2e/support/stack.js'
import { requireTerraform, TERRAFORM } from '../support/env.js'
import { postgresAvailable } from './support/database.js'
import { usePostgresCluster } from './support/postgres-cluster.js'
import { until } from './support/sse.js'

const hasTerraform = existsSync(TERRAFORM) || requireTerraform
/** Every call of the test goes to the replica that survives. */
const SURVIVOR = 1

/** One resource whose provisioner says it runs, then waits for the test's go (at most 120 s). */
function mainTf(waiting: string, go: string): string {
  return `
resource "terraform_data" "slow" {
  input = "kept-through-failover"
  provisioner "local-exec" {
    command = "touch '${waiting}'; i=0; while [ ! -f '${go}' ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done"
  }
}
output "value" {
  value = terraform_data.slow.output
}
`
}

describe.skipIf(!postgresAvailable || !hasTerraform)(
  'Terraform state through the surviving replica (PostgreSQL)',
  () => {
    const pg = usePostgresCluster({ replicas: 2, leaseSeconds: 30 })
    const api = pg.apiOf(SURVIVOR)

    it('writes the state and releases the lock through the other replica', async () => {
      const [first, survivor] = pg.cluster().replicas
      if (first === undefined || survivor === undefined) throw new Error('two replicas expected')
      const org = await api('POST', '/api/v1/organizations', { name: 'state-failover' })
      const token = await api('POST', `/api/v1/organizations/${org.id}/agent-tokens`, {
        name: 'state-agent',
      })
      const templateDir = join(pg.cluster().dir, 'template')
      const waiting = join(pg.cluster().dir, 'applying')
      const go = join(pg.cluster().dir, 'go')
      mkdirSync(templateDir, { recursive: true })
      writeFileSync(join(templateDir, 'main.tf'), mainTf(waiting, go))
      const project = await api('POST', `/api/v1/organizations/${org.id}/projects`, { name: 'p' })
      const template = await api('POST', `/api/v1/organizations/${org.id}/templates`, {
        name: 'tf',
        type: 'terraform',
        path: templateDir,
      })
      const env = await api('POST', `/api/v1/projects/${project.id}/environments`, {
        name: 'e',
        templateId: template.id,
      })
      const agent = pg.cluster().startAgent([0, 1], token.token, {
        concurrency: 1,
        env: { KEYLESS_LOG_LEVEL: 'info' },
      })
      const id = (await api('POST', `/api/v1/environments/${env.id}/deployments`, {})).id as string

      // The apply runs: it took the state lock through the first replica and holds it.
      await until(
        `${id} to apply`,
        () => Promise.resolve(existsSync(waiting) ? true : undefined),
        90_000,
      )
      const held = await api('GET', `/api/v1/environments/${env.id}/state/lock`)
      expect(held.lock).not.toBeNull()
      expect(agent.proc.output()).not.toMatch(/moved to the next one/u)

      await first.kill('SIGKILL')
      writeFileSync(go, '')
      const done = await until(
        `${id} to finish`,
        async () => {
          const d = await api('GET', `/api/v1/deployments/${id}`)
          return ['succeeded', 'failed', 'cancelled'].includes(d.status) ? d : undefined
        },
        90_000,
      )
      const logs = await api('GET', `/api/v1/deployments/${id}/logs?format=json`)
      const log = (logs.items as Json[]).map((l) => l.text as string).join('\n')
      expect({ status: done.status, failure: done.failure }, log).toEqual({
        status: 'succeeded',
        failure: null,
      })
      expect(log).toMatch(/Apply complete! Resources: 1 added/u)
      // The log names the replicas, not only the loopback relay the steps talk to.
      expect(log).toContain(
        `state: kept by keyless at ${first.url}, ${survivor.url} (the replica in use, through the agent's relay http://127.0.0.1:`,
      )

      // The state the apply wrote is stored and unlocked, read here on the survivor.
      const outputs = await api('GET', `/api/v1/environments/${env.id}/state/outputs`)
      expect(JSON.stringify(outputs)).toContain('kept-through-failover')
      expect((await api('GET', `/api/v1/environments/${env.id}/state/lock`)).lock).toBeNull()

      const output = agent.proc.output()
      const moves = output.split('\n').filter((l) => l.includes('moved to the next one'))
      expect(moves.length).toBeGreaterThan(0)
      for (const move of moves) expect(JSON.parse(move)).toMatchObject({ to: survivor.url })
      expect(output).not.toContain(token.token as string)
      expect(output).not.toMatch(/Basic [A-Za-z0-9+/=]{8,}/u)
    }, 240_000)
  },
)
