/**
 * The tenant boundary at write time: an admin of one organization cannot give it another
 * organization's audience (taken, or of another's default form) or a subject template that
 * renders under another organization's prefix — on both database dialects, through the REST API,
 * and with the database's own unique index as the last word (docs/security.md).
 */
import { Migrator, sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrations } from '../../src/store/migrations/index.js'
import { isUniqueViolation } from '../../src/store/unique-violation.js'
import { AUDIENCE_INDEX } from '../../src/store/migrations/0003_tenant_boundary.js'
import { migrateStore } from '../../src/store/database.js'
import { storeFactories } from '../support/stores.js'
import { seed, startHarness, type Harness } from './harness.js'

type Seeded = Awaited<ReturnType<typeof seed>>

for (const factory of storeFactories) {
  describe.skipIf(!factory.available)(`tenant boundary at write time (${factory.dialect})`, () => {
    let h: Harness
    let a: Seeded
    let b: Seeded

    beforeAll(async () => {
      h = await startHarness({ store: await factory.open() })
      a = await seed(h, 'alpha')
      b = await seed(h, 'bravo')
    })
    afterAll(async () => {
      await h?.close()
      await h?.store.close()
    })

    const patchB = (body: unknown) =>
      h.call('PATCH', `/api/v1/organizations/${b.org.id}`, { key: b.keys.admin, body })

    const unchanged = async () => {
      const org = (await h.call('GET', `/api/v1/organizations/${b.org.id}`)).json()
      expect(org.audience).toBe(`aws:${b.org.id}`)
      expect(org.subjectTemplate).toBe(b.org.subjectTemplate)
    }

    it.each([
      ['aws:<A>', (id: string) => `aws:${id}`],
      ['azure:<A>', (id: string) => `azure:${id}`],
      ['gcp:<A>', (id: string) => `gcp:${id}`],
      ['AWS:<A>', (id: string) => `AWS:${id}`],
      ['aws:<A> padded', (id: string) => `  aws:${id} `],
    ])('audience %s (another organization’s default) → 400 validation_failed', async (_, aud) => {
      const res = await patchB({ audience: aud(a.org.id) })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('validation_failed')
      expect(res.json().error.details.fields[0].path).toBe('audience')
      await unchanged()
    })

    it('an audience another organization has → 409 audience_taken, on update and create', async () => {
      const custom = `custom-${factory.dialect}-audience`
      const set = await h.call('PATCH', `/api/v1/organizations/${a.org.id}`, {
        key: a.keys.admin,
        body: { audience: custom },
      })
      expect(set.statusCode).toBe(200)
      const res = await patchB({ audience: custom })
      expect(res.statusCode).toBe(409)
      expect(res.json().error.code).toBe('audience_taken')
      expect(res.body).not.toContain(a.org.id)
      await unchanged()
      const created = await h.call('POST', '/api/v1/organizations', {
        body: { name: 'charlie', audience: custom },
      })
      expect(created.statusCode).toBe(409)
      expect(created.json().error.code).toBe('audience_taken')
    })

    it.each([
      ['literal prefix of A', (id: string) => `org:${id}:project:{projectId}`],
      ['no organization variable', () => 'project:{projectId}:environment:{environmentId}'],
      ['variable not first', () => 'v2:{organizationId}:{projectId}'],
      ['A’s id after the prefix', (id: string) => `org:{organizationId}:${id}:{projectId}`],
      ['org: after the prefix', () => 'org:{organizationId}:org:{projectId}'],
      ['no delimiter', () => 'org:{organizationId}{projectId}'],
    ])('subject template with %s → 400 validation_failed', async (_, template) => {
      const res = await patchB({ subjectTemplate: template(a.org.id) })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('validation_failed')
      expect(res.json().error.details.fields[0].path).toBe('subjectTemplate')
      await unchanged()
    })

    it('a stored value that crosses the boundary is refused at mint time, not minted', async () => {
      await h.store.db
        .updateTable('organizations')
        .set({ audience: `aws:${a.org.id}`, subject_template: `org:${a.org.id}:{projectId}` })
        .where('id', '=', b.org.id)
        .execute()
      try {
        const preview = await h.call('GET', `/api/v1/environments/${b.environment.id}/oidc-preview`)
        expect(preview.statusCode).toBe(400)
        expect(preview.json().error.details.fields.map((f: { path: string }) => f.path)).toEqual([
          'subjectTemplate',
          'audience',
        ])
        const dep = await h.call('POST', `/api/v1/environments/${b.environment.id}/deployments`, {
          key: b.keys.admin,
          body: {},
        })
        expect(dep.statusCode).toBe(201)
        const mint = await h.call('POST', `/api/v1/deployments/${dep.json().id}/oidc-token`, {
          key: b.keys.admin,
        })
        expect(mint.statusCode).toBe(400)
        expect(mint.body).not.toMatch(/eyJ/u)
      } finally {
        await h.store.db
          .updateTable('organizations')
          .set({ audience: `aws:${b.org.id}`, subject_template: b.org.subjectTemplate })
          .where('id', '=', b.org.id)
          .execute()
      }
    })

    it('the database refuses a second organization with the same audience', async () => {
      const row = await h.store.db
        .selectFrom('organizations')
        .selectAll()
        .where('id', '=', a.org.id)
        .executeTakeFirstOrThrow()
      const attempt = h.store.db
        .insertInto('organizations')
        .values({ ...row, id: 'org_duplicateaudience0' })
        .execute()
      const error = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(isUniqueViolation(error, AUDIENCE_INDEX)).toBe(true)
    })
  })

  describe.skipIf(!factory.available)(`migration 0003 (${factory.dialect})`, () => {
    it('stops, naming the audience, when two organizations already share one', async () => {
      const store = await factory.open()
      try {
        const db = store.db as unknown as Kysely<unknown>
        // The test store has run every migration: go back to 0002 first.
        await new Migrator({
          db,
          provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
          ...(store.schema === undefined ? {} : { migrationTableSchema: store.schema }),
        }).migrateTo('0002_signing_keys')
        for (const id of ['org_shared0000000001', 'org_shared0000000002'])
          await sql`INSERT INTO organizations (id, name, audience, subject_template, minting_stopped, created_at, updated_at)
            VALUES (${id}, 'x', 'shared-audience', 'org:{organizationId}', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`.execute(
            db,
          )
        await expect(migrateStore(store)).rejects.toThrow(
          /share an audience \("shared-audience"\)/u,
        )
      } finally {
        await store.close()
      }
    })
  })
}
