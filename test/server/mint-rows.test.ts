/**
 * The joined read of a mint (src/platform/mint-rows.ts) answers the same rows on both of its
 * paths: synchronously on SQLite's connection as arrays taken apart by position, and through
 * Kysely (in a transaction, and on PostgreSQL) as objects; and each part equals its table's row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDeploymentRows } from '../../src/platform/mint-rows.js'
import type { Cloud } from '../../src/shared/contracts/common.js'
import { seed, startHarness, type Harness } from './harness.js'

let h: Harness
let s: Awaited<ReturnType<typeof seed>>
let deploymentId: string
let otherDeploymentId: string

beforeAll(async () => {
  h = await startHarness()
  s = await seed(h)
  const other = await seed(h, 'globex')
  const deployment = await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`, {
    body: { type: 'plan' },
  })
  deploymentId = deployment.json().id as string
  const second = await h.call('POST', `/api/v1/environments/${other.environment.id}/deployments`, {
    body: { type: 'deploy' },
  })
  otherDeploymentId = second.json().id as string
})
afterAll(async () => {
  await h.close()
})

const cases: ReadonlyArray<{ name: string; id: () => string; cloud: Cloud; found: boolean }> = [
  {
    name: 'a deployment, aws (credential assigned)',
    id: () => deploymentId,
    cloud: 'aws',
    found: true,
  },
  {
    name: 'a deployment, azure (none assigned)',
    id: () => deploymentId,
    cloud: 'azure',
    found: true,
  },
  { name: 'a deployment, gcp (none assigned)', id: () => deploymentId, cloud: 'gcp', found: true },
  {
    name: "another organization's deployment",
    id: () => otherDeploymentId,
    cloud: 'aws',
    found: true,
  },
  { name: 'an unknown id', id: () => 'dep_doesnotexist', cloud: 'aws', found: false },
  { name: 'an empty id', id: () => '', cloud: 'aws', found: false },
  { name: 'an id with SQL in it', id: () => "x' OR '1'='1", cloud: 'aws', found: false },
]

describe('the joined read of a mint', () => {
  it.each(cases)('answers the same on both paths: $name', async ({ id, cloud, found }) => {
    const direct = await loadDeploymentRows(h.store.db, id(), cloud)
    const viaKysely = await h.store.db
      .transaction()
      .execute((trx) => loadDeploymentRows(trx, id(), cloud))
    expect(direct).toEqual(viaKysely)
    expect(direct !== undefined).toBe(found)
    if (direct === undefined) return
    const table = async (name: 'deployments' | 'environments' | 'organizations', key: string) =>
      h.store.db.selectFrom(name).selectAll().where('id', '=', key).executeTakeFirstOrThrow()
    expect(direct.deployment).toEqual(await table('deployments', id()))
    expect(direct.environment).toEqual(
      await table('environments', direct.deployment.environment_id),
    )
    expect(direct.organization).toEqual(
      await table('organizations', direct.environment.organization_id),
    )
    if (cloud === 'aws' && id() === deploymentId)
      expect(direct.credential).toEqual(
        await h.store.db
          .selectFrom('credentials')
          .selectAll()
          .where('id', '=', s.credential.id as string)
          .executeTakeFirstOrThrow(),
      )
    else if (cloud !== 'aws') expect(direct.credential).toBeNull()
  })
})
