/**
 * Terraform's own `http` backend against the control plane, on SQLite and PostgreSQL: init, apply,
 * a second apply with no changes, a lock conflict, a finished deployment's password refused, and
 * `terraform init -migrate-state` of a local state into the backend.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeFactories } from '../support/stores.js'
import { backendEnv, module, startStateWorld, terraform, type StateWorld } from './support.js'

for (const factory of storeFactories) {
  describe.skipIf(!factory.available)(
    `terraform against the state backend (${factory.dialect})`,
    () => {
      let world: StateWorld
      beforeAll(async () => {
        world = await startStateWorld(factory)
      })
      afterAll(async () => {
        await world?.close()
      })

      it('keeps state between deployments: the second apply has nothing to do', async () => {
        const tf = await module()
        try {
          const first = await world.start()
          const env = backendEnv(world, first.password)
          expect((await terraform(tf.dir, ['init', '-input=false'], env)).code).toBe(0)
          const apply = await terraform(tf.dir, ['apply', '-auto-approve', '-input=false'], env)
          expect(apply.out).toContain('1 added')
          expect(apply.code).toBe(0)
          await world.finish(first.id)

          const second = await world.start()
          const again = await terraform(
            tf.dir,
            ['apply', '-auto-approve', '-input=false'],
            backendEnv(world, second.password),
          )
          expect(again.out).toContain('No changes')
          expect(again.code).toBe(0)
          await world.finish(second.id)

          const versions = (
            await world.h.call(
              'GET',
              `/api/v1/environments/${world.ids.environment}/state/versions`,
              { key: world.keys.admin },
            )
          ).json()
          expect(versions.items.length).toBeGreaterThanOrEqual(1)
          expect(versions.items[0].deploymentId).toBe(first.id)
          const outputs = (
            await world.h.call(
              'GET',
              `/api/v1/environments/${world.ids.environment}/state/outputs`,
              { key: world.keys.viewer },
            )
          ).json()
          expect(outputs.outputs).toEqual([
            { name: 'name', sensitive: false, value: 'first', type: 'string' },
            { name: 'secret', sensitive: true, value: null, type: 'string' },
          ])
          const lock = (
            await world.h.call('GET', `/api/v1/environments/${world.ids.environment}/state/lock`, {
              key: world.keys.viewer,
            })
          ).json()
          expect(lock.lock).toBeNull()
        } finally {
          await tf.remove()
        }
      })

      it('a held lock stops terraform with the holder named; a finished deployment is refused', async () => {
        const tf = await module()
        try {
          const dep = await world.start()
          const env = backendEnv(world, dep.password)
          const address = `${env['TF_HTTP_LOCK_ADDRESS']}`
          const auth = `Basic ${Buffer.from(`keyless:${dep.password}`).toString('base64')}`
          const held = await fetch(address, {
            method: 'LOCK',
            headers: { authorization: auth, 'content-type': 'application/json' },
            body: JSON.stringify({
              ID: 'held-by-test',
              Operation: 'OperationTypeApply',
              Who: 'tester@host',
            }),
          })
          expect(held.status).toBe(200)
          expect((await terraform(tf.dir, ['init', '-input=false'], env)).code).toBe(0)
          const blocked = await terraform(tf.dir, ['plan', '-input=false', '-lock-timeout=0s'], env)
          expect(blocked.code).not.toBe(0)
          expect(blocked.out).toContain('held-by-test')
          await world.finish(dep.id)
          const after = await terraform(tf.dir, ['plan', '-input=false'], env)
          expect(after.code).not.toBe(0)
          expect(after.out).toMatch(/requires auth/u)
        } finally {
          await tf.remove()
        }
      })

      it('migrates a local state in with terraform init -migrate-state', async () => {
        const env2 = await world.environment('tf-migrated')
        const tf = await module()
        try {
          const file = join(tf.dir, 'main.tf')
          const withBackend = await readFile(file, 'utf8')
          await writeFile(file, withBackend.replace('backend "http" {}', ''))
          expect((await terraform(tf.dir, ['init', '-input=false'], {})).code).toBe(0)
          const local = await terraform(
            tf.dir,
            ['apply', '-auto-approve', '-input=false', '-var', 'name=local'],
            {},
          )
          expect(local.code).toBe(0)
          await writeFile(file, withBackend)
          const dep = await world.start(env2)
          const env = backendEnv(world, dep.password, env2)
          const migrated = await terraform(
            tf.dir,
            ['init', '-input=false', '-migrate-state', '-force-copy'],
            env,
          )
          expect(migrated.code).toBe(0)
          const plan = await terraform(
            tf.dir,
            ['plan', '-input=false', '-var', 'name=local', '-detailed-exitcode'],
            env,
          )
          expect(plan.code).toBe(0)
          await world.finish(dep.id)
          const outputs = (
            await world.h.call('GET', `/api/v1/environments/${env2}/state/outputs`, {
              key: world.keys.admin,
            })
          ).json()
          expect(outputs.outputs[0]).toMatchObject({ name: 'name', value: 'local' })
        } finally {
          await tf.remove()
        }
      })
    },
  )
}
