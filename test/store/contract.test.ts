/**
 * The store contract: the platform's persistence behaves the same on SQLite and PostgreSQL —
 * constraints, transactions, ordering, keyset pagination, exactly-once claims and lease expiry.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/shared/clock.js'
import { KeylessError } from '../../src/shared/errors.js'
import { migrateStore, type Store } from '../../src/store/database.js'
import { createPlatform, type Platform, type Principal } from '../../src/platform/index.js'
import { inTransaction } from '../../src/platform/context.js'
import { storeFactories } from '../support/stores.js'

const owner: Principal = { kind: 'owner', id: 'key_owner', email: 'owner@example.com' }
const ROLE = 'arn:aws:iam::123456789012:role/deploy'

for (const factory of storeFactories) {
  describe.skipIf(!factory.available)(`store contract (${factory.dialect})`, () => {
    let store: Store
    let clock: ManualClock
    let platform: Platform

    beforeAll(async () => {
      store = await factory.open()
      clock = new ManualClock()
      platform = createPlatform({ store, clock, options: { leaseSeconds: 30 } })
    })
    afterAll(async () => {
      await store?.close()
    })

    async function scaffold(name = 'acme') {
      const org = await platform.organizations.create(owner, { name })
      const project = await platform.projects.create(owner, org.id, { name: 'web' })
      const template = await platform.templates.create(owner, org.id, {
        name: 'tpl',
        type: 'custom',
        steps: [{ name: 'hello', run: 'echo hello' }],
      })
      const environment = await platform.environments.create(owner, project.id, {
        name: 'prod',
        templateId: template.id,
      })
      const agentToken = await platform.agentTokens.create(owner, org.id, { name: 'agent' })
      const agent = await platform.authenticateAgent(agentToken.token)
      if (agent === null) throw new Error('agent token did not authenticate')
      return { org, project, template, environment, agent }
    }

    it('runs migrations idempotently', async () => {
      await migrateStore(store)
      const orgs = await store.db.selectFrom('organizations').selectAll().execute()
      expect(Array.isArray(orgs)).toBe(true)
    })

    it('creates exactly one owner key when replicas bootstrap together', async () => {
      const results = await Promise.all(
        Array.from({ length: 4 }, () => platform.bootstrapOwner({ email: 'owner@example.com' })),
      )
      expect(results.filter((r) => r.created)).toHaveLength(1)
      expect(new Set(results.map((r) => r.id)).size).toBe(1)
      const owners = await store.db
        .selectFrom('api_keys')
        .select('id')
        .where('role', '=', 'owner')
        .execute()
      expect(owners).toHaveLength(1)
    })

    it('round-trips booleans, JSON and nulls', async () => {
      const { org, project, template } = await scaffold()
      expect(org.audience).toBe(`aws:${org.id}`)
      expect(org.mintingStopped).toBe(false)
      expect(project.description).toBeNull()
      expect(template.steps).toEqual([{ name: 'hello', run: 'echo hello' }])
      const credential = await platform.credentials.create(owner, org.id, {
        name: 'aws',
        roleArn: ROLE,
        sessionTags: false,
      })
      expect(credential).toMatchObject({
        durationSeconds: 3600,
        region: 'us-east-1',
        sessionTags: false,
        refresh: true,
        planRoleArn: null,
        scope: 'organization',
      })
      expect(await platform.credentials.get(owner, credential.id)).toEqual(credential)
      const updated = await platform.organizations.update(owner, org.id, { mintingStopped: true })
      expect(updated.mintingStopped).toBe(true)
      expect((await platform.organizations.get(owner, org.id)).mintingStopped).toBe(true)
    })

    it('enforces unique variables per scope and foreign keys', async () => {
      const { org, project } = await scaffold()
      const now = clock.now().toISOString()
      const row = {
        id: 'var_a',
        organization_id: org.id,
        scope: 'project',
        scope_id: project.id,
        name: 'X',
        value: '1',
        sensitive: 0,
        created_at: now,
        updated_at: now,
      }
      await store.db.insertInto('variables').values(row).execute()
      await expect(
        store.db
          .insertInto('variables')
          .values({ ...row, id: 'var_b' })
          .execute(),
      ).rejects.toThrow()
      await expect(
        store.db
          .insertInto('environments')
          .values({
            id: 'env_x',
            organization_id: org.id,
            project_id: 'prj_missing',
            template_id: 'tpl_missing',
            name: 'x',
            role_arn_override: null,
            requires_approval: 0,
            created_at: now,
            updated_at: now,
          })
          .execute(),
      ).rejects.toThrow()
    })

    it('rolls back every row of a failed transaction', async () => {
      const before = await store.db.selectFrom('organizations').select('id').execute()
      await expect(
        inTransaction(platform.context, async (trx) => {
          const now = clock.now().toISOString()
          await trx
            .insertInto('organizations')
            .values({
              id: 'org_half',
              name: 'half',
              audience: 'a',
              subject_template: 't',
              previous_subject_template: null,
              minting_stopped: 0,
              created_at: now,
              updated_at: now,
            })
            .execute()
          throw new KeylessError('conflict', 'boom')
        }),
      ).rejects.toThrow('boom')
      const after = await store.db.selectFrom('organizations').select('id').execute()
      expect(after).toHaveLength(before.length)
      // A service call that fails after its first write leaves nothing either.
      const { project } = await scaffold()
      await expect(
        platform.environments.create(owner, project.id, { name: 'x', templateId: 'tpl_nope' }),
      ).rejects.toMatchObject({ code: 'not_found' })
      const envs = await platform.environments.list(owner, project.id)
      expect(envs.items).toHaveLength(1)
    })

    it('leaves nothing behind when the audit write of a change fails', async () => {
      const { org } = await scaffold()
      const before = (await platform.projects.list(owner, org.id)).items.length
      await sql`ALTER TABLE audit_events RENAME TO audit_events_off`.execute(store.db)
      try {
        await expect(platform.projects.create(owner, org.id, { name: 'doomed' })).rejects.toThrow()
        await expect(
          platform.credentials.create(owner, org.id, { name: 'doomed', roleArn: ROLE }),
        ).rejects.toThrow()
      } finally {
        await sql`ALTER TABLE audit_events_off RENAME TO audit_events`.execute(store.db)
      }
      expect((await platform.projects.list(owner, org.id)).items).toHaveLength(before)
      expect((await platform.credentials.list(owner, org.id)).items).toHaveLength(0)
    })

    it('pages with a stable cursor', async () => {
      const { org } = await scaffold()
      for (let i = 0; i < 7; i++) await platform.projects.create(owner, org.id, { name: `p${i}` })
      const seen: string[] = []
      let cursor: string | undefined
      for (;;) {
        const page = await platform.projects.list(owner, org.id, {
          limit: 3,
          ...(cursor === undefined ? {} : { cursor }),
        })
        seen.push(...page.items.map((p) => p.name))
        if (page.nextCursor === null) break
        cursor = page.nextCursor
      }
      expect(seen).toEqual(['web', 'p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'])
    })

    it('resolves variables nearest scope first and records the role source', async () => {
      const { org, project, template, environment, agent } = await scaffold()
      const cred = await platform.credentials.create(owner, org.id, { name: 'aws', roleArn: ROLE })
      await platform.credentials.assign(owner, project.id, cred.id)
      await platform.variables.put(owner, 'organization', org.id, 'A', { value: 'org' })
      await platform.variables.put(owner, 'project', project.id, 'A', { value: 'project' })
      await platform.variables.put(owner, 'template', template.id, 'B', { value: 'template' })
      await platform.variables.put(owner, 'environment', environment.id, 'B', {
        value: 'env',
        sensitive: true,
      })
      const other = 'arn:aws:iam::210987654321:role/other'
      await platform.variables.put(owner, 'project', project.id, 'KEYLESS_AWS_ROLE_ARN', {
        value: other,
      })
      const dep = await platform.deployments.create(owner, environment.id, { type: 'plan' })
      const claim = await platform.queue.claim(agent, { waitSeconds: 0 })
      expect(claim?.deployment.id).toBe(dep.id)
      const vars = Object.fromEntries(claim!.deployment.variables.map((v) => [v.name, v]))
      expect(vars['A']).toMatchObject({ value: 'project', sensitive: false })
      expect(vars['B']).toMatchObject({ value: 'env', sensitive: true })
      expect(claim!.deployment.credential).toMatchObject({
        roleArn: other,
        roleSource: 'variable:KEYLESS_AWS_ROLE_ARN',
      })
      const audit = await platform.audit.list(owner, org.id, { action: 'deployment.role_resolved' })
      expect(audit.items[0]?.details).toMatchObject({
        roleArn: other,
        source: 'variable:KEYLESS_AWS_ROLE_ARN',
      })
    })

    it('claims each deployment exactly once with concurrent claimers', async () => {
      const { org, project, template, agent } = await scaffold()
      const token2 = await platform.agentTokens.create(owner, org.id, { name: 'agent-2' })
      const agent2 = (await platform.authenticateAgent(token2.token))!
      const created = []
      // One environment each: deployments of one environment run one at a time (test/state/queue-order.test.ts).
      for (let i = 0; i < 20; i++) {
        const env = await platform.environments.create(owner, project.id, {
          name: `env-${i}`,
          templateId: template.id,
        })
        created.push((await platform.deployments.create(owner, env.id)).id)
      }
      const claims = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          platform.queue.claim(i % 2 === 0 ? agent : agent2, { waitSeconds: 0 }),
        ),
      )
      const ids = claims.filter((c) => c !== null).map((c) => c.deployment.id)
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids.sort()).toEqual([...created].sort())
    })

    it('requeues an expired claim and fails an expired run with agent lost', async () => {
      const { project, template, environment, agent } = await scaffold()
      const second = await platform.environments.create(owner, project.id, {
        name: 'staging',
        templateId: template.id,
      })
      const a = await platform.deployments.create(owner, environment.id)
      const b = await platform.deployments.create(owner, second.id)
      expect((await platform.queue.claim(agent, { waitSeconds: 0 }))?.deployment.id).toBe(a.id)
      expect((await platform.queue.claim(agent, { waitSeconds: 0 }))?.deployment.id).toBe(b.id)
      await platform.queue.report(agent, b.id, { status: 'running' })
      clock.advance(20_000)
      await platform.queue.heartbeat(agent, b.id)
      clock.advance(15_000)
      const swept = await platform.queue.sweep()
      expect(swept.requeued).toContain(a.id)
      expect(swept.failed).not.toContain(b.id)
      expect((await platform.deployments.get(owner, a.id)).status).toBe('queued')
      clock.advance(31_000)
      expect((await platform.queue.sweep()).failed).toContain(b.id)
      const lost = await platform.deployments.get(owner, b.id)
      expect(lost).toMatchObject({ status: 'failed', message: 'agent lost' })
      await expect(platform.queue.heartbeat(agent, b.id)).rejects.toMatchObject({
        code: 'lease_lost',
      })
    })

    it('numbers log lines in order', async () => {
      const { environment, agent } = await scaffold()
      const dep = await platform.deployments.create(owner, environment.id)
      await platform.queue.claim(agent, { waitSeconds: 0 })
      await platform.logs.append(agent, dep.id, {
        lines: [
          { stream: 'stdout', text: 'a' },
          { stream: 'stderr', text: 'b' },
        ],
      })
      await platform.logs.append(agent, dep.id, { lines: [{ stream: 'system', text: 'c' }] })
      const lines = await platform.logs.list(owner, dep.id)
      expect(lines.map((l) => [l.seq, l.text])).toEqual([
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
      ])
      expect((await platform.logs.list(owner, dep.id, { after: 2 })).map((l) => l.text)).toEqual([
        'c',
      ])
    })
  })
}
