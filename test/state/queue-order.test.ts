/**
 * One deployment at a time per environment (docs/state.md), on SQLite and PostgreSQL: queue
 * order within an environment, environments in parallel, why a deployment waits, a lock left by
 * an `agent lost` deployment holding the environment until force-unlocked, and no two active
 * deployments of one environment under concurrent claimers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeFactories } from '../support/stores.js'
import { startStateWorld, type StateWorld } from './support.js'

for (const factory of storeFactories) {
  describe.skipIf(!factory.available)(`one deployment at a time (${factory.dialect})`, () => {
    let world: StateWorld
    beforeAll(async () => {
      world = await startStateWorld(factory)
    })
    afterAll(async () => {
      await world?.close()
    })

    const agent = (path: string, body: unknown = {}) =>
      world.h.call('POST', path, { key: world.keys.agent, body })
    const queue = async (environmentId: string): Promise<string> =>
      (
        await world.h.call('POST', `/api/v1/environments/${environmentId}/deployments`, {
          key: world.keys.deployer,
          body: {},
        })
      ).json().id
    const claim = async (): Promise<string | null> => {
      const res = await agent('/agent/v1/claim', { waitSeconds: 0 })
      return res.statusCode === 204 ? null : (res.json().deployment.id as string)
    }
    const get = async (id: string) =>
      (await world.h.call('GET', `/api/v1/deployments/${id}`, { key: world.keys.viewer })).json()

    it('hands out an environment’s deployments in queue order, one at a time; others in parallel', async () => {
      const a = await world.environment('order-a')
      const b = await world.environment('order-b')
      const [a1, a2, b1, a3] = [await queue(a), await queue(a), await queue(b), await queue(a)]
      expect(await claim()).toBe(a1)
      expect(await claim()).toBe(b1)
      expect(await claim()).toBeNull()
      expect((await get(a2)).waitingFor).toEqual({
        reason: 'environment_busy',
        deploymentId: a1,
        message: `environment busy with ${a1} (claimed)`,
      })
      await agent(`/agent/v1/deployments/${a1}/status`, { status: 'running' })
      expect((await get(a3)).waitingFor.message).toBe(`environment busy with ${a1} (running)`)
      await agent(`/agent/v1/deployments/${a1}/status`, { status: 'succeeded' })
      expect((await get(a3)).waitingFor).toMatchObject({ deploymentId: a2 })
      expect((await get(a2)).waitingFor).toBeNull()
      expect(await claim()).toBe(a2)
      await agent(`/agent/v1/deployments/${a2}/status`, { status: 'failed' })
      expect(await claim()).toBe(a3)
      await agent(`/agent/v1/deployments/${a3}/status`, { status: 'succeeded' })
      await agent(`/agent/v1/deployments/${b1}/status`, { status: 'succeeded' })
      expect((await get(a3)).waitingFor).toBeNull()
    })

    it('a lock left by an agent-lost deployment holds the environment until force-unlocked', async () => {
      const env = await world.environment('lost')
      const other = await world.environment('lost-other')
      const lost = await queue(env)
      const claimed = (await agent('/agent/v1/claim', { waitSeconds: 0 })).json().deployment
      expect(claimed.id).toBe(lost)
      await agent(`/agent/v1/deployments/${lost}/status`, { status: 'running' })
      const auth = `Basic ${Buffer.from(`keyless:${claimed.statePassword}`).toString('base64')}`
      const locked = await world.h.call('LOCK', `/api/v1/environments/${env}/state/lock`, {
        key: null,
        headers: { authorization: auth, 'content-type': 'application/json' },
        payload: JSON.stringify({ ID: 'lock-1', Operation: 'OperationTypeApply', Who: 'x@y' }),
      })
      expect(locked.statusCode).toBe(200)
      world.h.clock.advance(61_000)
      await world.h.app.platform.queue.sweep()
      expect((await get(lost)).message).toBe('agent lost')

      const next = await queue(env)
      const elsewhere = await queue(other)
      expect(await claim()).toBe(elsewhere)
      expect(await claim()).toBeNull()
      const waiting = (await get(next)).waitingFor
      expect(waiting).toMatchObject({ reason: 'state_locked', deploymentId: lost })
      expect(waiting.message).toContain(`state locked by ${lost} (agent lost)`)
      expect(waiting.message).toContain(`DELETE /api/v1/environments/${env}/state/lock`)

      const unlock = await world.h.call('DELETE', `/api/v1/environments/${env}/state/lock`, {
        key: world.keys.admin,
      })
      expect(unlock.statusCode).toBe(200)
      expect(await claim()).toBe(next)
      await agent(`/agent/v1/deployments/${next}/status`, { status: 'succeeded' })
      await agent(`/agent/v1/deployments/${elsewhere}/status`, { status: 'succeeded' })
    })

    it('concurrent claimers never hold two deployments of one environment', async () => {
      const envs: string[] = []
      for (let i = 0; i < 4; i++) envs.push(await world.environment(`race-${i}`))
      const ids: string[] = []
      for (let i = 0; i < 24; i++) ids.push(await queue(envs[i % 4]!))
      const active = new Map<string, string>()
      const violations: string[] = []
      const order: Record<string, string[]> = {}
      let finished = 0
      const envOf = new Map(ids.map((id, i) => [id, envs[i % 4]!]))
      const claimer = async (): Promise<void> => {
        while (finished < ids.length) {
          const id = await claim()
          if (id === null) {
            await new Promise((r) => setTimeout(r, 2))
            continue
          }
          const env = envOf.get(id)!
          if (active.has(env)) violations.push(`${id} while ${active.get(env)} in ${env}`)
          active.set(env, id)
          ;(order[env] ??= []).push(id)
          await new Promise((r) => setTimeout(r, 3))
          active.delete(env)
          await agent(`/agent/v1/deployments/${id}/status`, { status: 'succeeded' })
          finished += 1
        }
      }
      await Promise.all([claimer(), claimer(), claimer(), claimer(), claimer()])
      expect(violations).toEqual([])
      for (const env of envs) expect(order[env]).toEqual(ids.filter((id) => envOf.get(id) === env))
    })
  })
}
