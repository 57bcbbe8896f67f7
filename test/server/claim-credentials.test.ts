/**
 * The credentials a deployment was claimed with (src/platform/queue.ts, migration 0010), on SQLite
 * and PostgreSQL: before the claim a deployment names none; the claim stores the project's AWS,
 * Azure and GCP credentials on it, and it keeps them when the project's assignment changes
 * afterwards (reassigned, unassigned) and when the same claim is answered again; the next
 * deployment is claimed with the project's new ones. Migration 0010 goes down and up again.
 */
import { Migrator } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateStore, type Store } from '../../src/store/database.js'
import { migrations } from '../../src/store/migrations/index.js'
import { storeFactories } from '../support/stores.js'
import { AZURE, GCP } from './cloud-credential-bodies.js'
import { seed, startHarness, type Harness } from './harness.js'

const CLAIM_KEY = 'claim-credentials_0123456789'

/** The columns of `deployments` in the store's schema. */
async function deploymentColumns(store: Store): Promise<readonly string[]> {
  const tables = await store.db.introspection.getTables()
  const table = tables.find(
    (t) => t.name === 'deployments' && (store.schema === undefined || t.schema === store.schema),
  )
  return table?.columns.map((c) => c.name) ?? []
}

for (const factory of storeFactories) {
  describe.skipIf(!factory.available)(`the credentials of a claim (${factory.dialect})`, () => {
    let h: Harness
    beforeAll(async () => {
      h = await startHarness({ store: await factory.open() })
    })
    afterAll(async () => {
      await h.close()
      await h.store.close()
    })

    it('a claimed deployment keeps the Azure and GCP credentials it was claimed with', async () => {
      const s = await seed(h, 'claim-credentials')
      const credential = async (body: object): Promise<string> => {
        const res = await h.call('POST', `/api/v1/organizations/${s.org.id}/credentials`, { body })
        expect(res.statusCode, res.body).toBe(201)
        return res.json().id as string
      }
      const assign = async (id: string) => {
        const res = await h.call('PUT', `/api/v1/projects/${s.project.id}/credentials/${id}`)
        expect(res.statusCode, res.body).toBeLessThan(300)
      }
      const azure = await credential({ ...AZURE, name: 'azure-1' })
      const gcp = await credential({ ...GCP, name: 'gcp-1' })
      await assign(azure)
      await assign(gcp)
      const queue = async (): Promise<string> =>
        (await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)).json().id
      const get = async (id: string) => (await h.call('GET', `/api/v1/deployments/${id}`)).json()
      const claim = async () => {
        const res = await h.call('POST', '/agent/v1/claim', {
          key: s.keys.agent,
          body: { waitSeconds: 0, claimKey: CLAIM_KEY },
        })
        expect(res.statusCode, res.body).toBe(200)
        return res.json().deployment.id as string
      }

      const first = await queue()
      expect(await get(first)).toMatchObject({
        status: 'queued',
        credentialId: null,
        azureCredentialId: null,
        gcpCredentialId: null,
      })
      expect(await claim()).toBe(first)
      const claimedWith = {
        credentialId: s.credential.id,
        azureCredentialId: azure,
        gcpCredentialId: gcp,
      }
      expect(await get(first)).toMatchObject({ status: 'claimed', ...claimedWith })

      // The project's Azure credential is replaced, its GCP one unassigned.
      const azure2 = await credential({ ...AZURE, name: 'azure-2' })
      await assign(azure2)
      const unassigned = await h.call(
        'DELETE',
        `/api/v1/projects/${s.project.id}/credentials/${gcp}`,
      )
      expect(unassigned.statusCode, unassigned.body).toBeLessThan(300)
      // The same claim answered again (its answer was lost) stores nothing new.
      expect(await claim()).toBe(first)
      expect(await get(first)).toMatchObject({ status: 'claimed', ...claimedWith })
      const started = await h.call('POST', `/agent/v1/deployments/${first}/status`, {
        key: s.keys.agent,
        body: { status: 'running' },
      })
      expect(started.statusCode, started.body).toBe(200)
      const done = await h.call('POST', `/agent/v1/deployments/${first}/status`, {
        key: s.keys.agent,
        body: { status: 'succeeded' },
      })
      expect(done.statusCode, done.body).toBe(200)
      expect(await get(first)).toMatchObject({ status: 'succeeded', ...claimedWith })
      const listed = (await h.call('GET', `/api/v1/organizations/${s.org.id}/deployments`)).json()
        .items
      expect(listed.find((d: { id: string }) => d.id === first)).toMatchObject(claimedWith)

      // The next deployment is claimed with the project's credentials as they are now.
      const second = await queue()
      expect(await claim()).toBe(second)
      expect(await get(second)).toMatchObject({
        status: 'claimed',
        credentialId: s.credential.id,
        azureCredentialId: azure2,
        gcpCredentialId: null,
      })
      expect(await get(first)).toMatchObject(claimedWith)
    })
  })

  describe.skipIf(!factory.available)(`migration 0010 (${factory.dialect})`, () => {
    it('drops the two columns going down and adds them again going up', async () => {
      const store = await factory.open()
      try {
        const added = ['azure_credential_id', 'gcp_credential_id']
        expect(await deploymentColumns(store)).toEqual(expect.arrayContaining(added))
        const down = await new Migrator({
          db: store.db,
          provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
          ...(store.schema === undefined ? {} : { migrationTableSchema: store.schema }),
        }).migrateTo('0009_claim_key')
        expect(down.error).toBeUndefined()
        const before = await deploymentColumns(store)
        expect(before).toContain('credential_id')
        for (const name of added) expect(before).not.toContain(name)
        await migrateStore(store)
        expect(await deploymentColumns(store)).toEqual(expect.arrayContaining(added))
      } finally {
        await store.close()
      }
    })
  })
}
