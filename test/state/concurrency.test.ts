/**
 * One deployment at a time across real processes (docs/state.md), on SQLite and PostgreSQL:
 * deployments of one environment never overlap (intervals from the deployment records) while two
 * environments do; an agent SIGKILLed mid-apply leaves the lock and the state as they were until an
 * admin force-unlocks, then the next deployment succeeds.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../e2e/support/world.js'
import { requirePostgres, requireTerraform, TERRAFORM } from '../support/env.js'
import { postgresFactory } from '../support/stores.js'
import { postgresDatabase, settle, startTfWorld, type Json, type TfWorld } from './e2e-support.js'

const hasTerraform = existsSync(TERRAFORM) || requireTerraform
const dialects = [
  { label: 'SQLite', available: hasTerraform },
  {
    label: 'PostgreSQL',
    available: hasTerraform && (postgresFactory.available || requirePostgres),
  },
]

const interval = (d: Json): [number, number] => [Date.parse(d.startedAt), Date.parse(d.finishedAt)]
const overlap = (a: [number, number], b: [number, number]): boolean => a[0] < b[1] && b[0] < a[1]

/** Pids of a process's descendants (to stop a step the killed agent left running). */
function descendants(pid: number): number[] {
  let out: string
  try {
    out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
  } catch {
    return []
  }
  const children = out
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => n > 0)
  return [...children, ...children.flatMap(descendants)]
}

for (const dialect of dialects) {
  describe.skipIf(!dialect.available)(
    `one at a time with real agents (${dialect.label})`,
    { timeout: 120_000 },
    () => {
      let world: TfWorld
      let dropDatabase: (() => Promise<void>) | undefined
      const leftovers: number[] = []
      beforeAll(async () => {
        let database: string | undefined
        if (dialect.label === 'PostgreSQL') {
          const db = await postgresDatabase()
          database = db.url
          dropDatabase = db.drop
        }
        world = await startTfWorld(database)
      }, 120_000)
      afterAll(async () => {
        for (const pid of leftovers) {
          try {
            process.kill(pid, 'SIGKILL')
          } catch {
            // gone
          }
        }
        await world?.close()
        await dropDatabase?.()
      })

      it('serializes one environment, runs two in parallel', async () => {
        const { stack } = world
        const agent = stack.startAgent(world.org.agentToken, { concurrency: 3, name: 'par' })
        try {
          const a = await world.environment({ variables: { TF_VAR_pause: '2' } })
          const b = await world.environment({ variables: { TF_VAR_pause: '2' } })
          const ids = [await a.deploy(), await a.deploy(), await b.deploy()]
          const [a1, a2, b1] = await Promise.all(ids.map((id) => settle(stack, id)))
          for (const r of [a1!, a2!, b1!]) expect(r.d.status, r.log).toBe('succeeded')
          expect(overlap(interval(a1!.d), interval(a2!.d))).toBe(false)
          expect(Date.parse(a2!.d.startedAt)).toBeGreaterThanOrEqual(Date.parse(a1!.d.finishedAt))
          expect(
            overlap(interval(b1!.d), interval(a1!.d)) || overlap(interval(b1!.d), interval(a2!.d)),
          ).toBe(true)
        } finally {
          await agent.kill()
        }
      })

      it('an agent SIGKILLed mid-apply: lock kept, state intact, force-unlock, next deploy succeeds', async () => {
        const { stack } = world
        const env = await world.environment({ variables: { TF_VAR_name: 'kept-1' } })
        let agent = stack.startAgent(world.org.agentToken, { concurrency: 1, name: 'doomed' })
        const first = await settle(stack, await env.deploy())
        expect(first.d.status, first.log).toBe('succeeded')
        const versionsBefore = await stack.api(
          'GET',
          `/api/v1/environments/${env.id}/state/versions`,
        )

        await env.setVariable('TF_VAR_name', 'kept-2')
        await env.setVariable('TF_VAR_pause', '30')
        const doomed = await env.deploy()
        await until(async () => {
          const lock = await stack.api('GET', `/api/v1/environments/${env.id}/state/lock`)
          const d = await stack.api('GET', `/api/v1/deployments/${doomed}`)
          return lock.lock !== null && d.steps.some((s: Json) => s.name === 'terraform apply')
        }, 'the apply to hold the lock')
        leftovers.push(...descendants(agent.child.pid!))
        await agent.kill('SIGKILL')
        const lost = await settle(stack, doomed, ['failed'], 30_000)
        expect(lost.d.message).toBe('agent lost')

        const lock = await stack.api('GET', `/api/v1/environments/${env.id}/state/lock`)
        expect(lock.lock).toMatchObject({ deploymentId: doomed })
        const versionsAfter = await stack.api(
          'GET',
          `/api/v1/environments/${env.id}/state/versions`,
        )
        expect(versionsAfter.items).toEqual(versionsBefore.items)

        await env.setVariable('TF_VAR_pause', '0')
        agent = stack.startAgent(world.org.agentToken, { concurrency: 1, name: 'next' })
        const next = await env.deploy()
        await until(async () => {
          const d = await stack.api('GET', `/api/v1/deployments/${next}`)
          return d.waitingFor?.reason === 'state_locked'
        }, 'the next deployment to wait for the lock')
        const queued = await stack.api('GET', `/api/v1/deployments/${next}`)
        expect(queued.waitingFor.message).toContain(`state locked by ${doomed} (agent lost)`)
        for (const pid of leftovers) {
          try {
            process.kill(pid, 'SIGKILL')
          } catch {
            // gone
          }
        }
        await stack.api('DELETE', `/api/v1/environments/${env.id}/state/lock`)
        const done = await settle(stack, next)
        expect(done.d.status, done.log).toBe('succeeded')
        const outputs = await stack.api('GET', `/api/v1/environments/${env.id}/state/outputs`)
        expect(outputs.outputs).toContainEqual(expect.objectContaining({ value: 'kept-2' }))
        await agent.kill()
      })
    },
  )
}
