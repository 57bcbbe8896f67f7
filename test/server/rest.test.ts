/** Every REST route of the platform model, through inject(): shapes of docs/architecture.md §9. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLE_ARN, seed, startHarness, type Harness } from './harness.js'

let h: Harness
let s: Awaited<ReturnType<typeof seed>>

beforeAll(async () => {
  h = await startHarness()
  s = await seed(h)
})
afterAll(async () => {
  await h.close()
})

describe('organizations', () => {
  it('creates with 201 and the resource at the top level', async () => {
    const res = await h.call('POST', '/api/v1/organizations', { body: { name: 'beta' } })
    expect(res.statusCode).toBe(201)
    const org = res.json()
    expect(org).toEqual({
      id: expect.stringMatching(/^org_/),
      name: 'beta',
      audience: `aws:${org.id}`,
      subjectTemplate:
        'org:{organizationId}:project:{projectId}:environment:{environmentId}:type:{deploymentType}',
      previousSubjectTemplate: null,
      mintingStopped: false,
      createdAt: '2026-11-25T12:00:00.000Z',
      updatedAt: '2026-11-25T12:00:00.000Z',
    })
  })

  it('gets, lists and patches', async () => {
    expect((await h.call('GET', `/api/v1/organizations/${s.org.id}`)).json()).toEqual(s.org)
    const list = (await h.call('GET', '/api/v1/organizations')).json()
    expect(list.nextCursor).toBeNull()
    expect(list.items.map((o: { id: string }) => o.id)).toContain(s.org.id)
    const org = (await h.call('POST', '/api/v1/organizations', { body: { name: 'gamma' } })).json()
    const patched = await h.call('PATCH', `/api/v1/organizations/${org.id}`, {
      body: {
        name: 'Gamma',
        audience: 'sts.amazonaws.com',
        subjectTemplate: 'org:{organizationId}:env:{environmentId}',
      },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({
      name: 'Gamma',
      audience: 'sts.amazonaws.com',
      subjectTemplate: 'org:{organizationId}:env:{environmentId}',
      previousSubjectTemplate: org.subjectTemplate,
    })
  })
})

describe('projects, templates, environments', () => {
  it('creates, gets, lists and patches projects', async () => {
    const created = await h.call('POST', `/api/v1/organizations/${s.org.id}/projects`, {
      body: { name: 'api', description: 'the API' },
    })
    expect(created.statusCode).toBe(201)
    const p = created.json()
    expect(p).toMatchObject({ organizationId: s.org.id, name: 'api', description: 'the API' })
    expect((await h.call('GET', `/api/v1/projects/${p.id}`)).json()).toEqual(p)
    const list = (await h.call('GET', `/api/v1/organizations/${s.org.id}/projects`)).json()
    expect(list.items.map((x: { name: string }) => x.name)).toEqual(['web', 'api'])
    const patched = (
      await h.call('PATCH', `/api/v1/projects/${p.id}`, { body: { description: null } })
    ).json()
    expect(patched.description).toBeNull()
  })

  it('creates custom and terraform templates', async () => {
    const tf = await h.call('POST', `/api/v1/organizations/${s.org.id}/templates`, {
      body: {
        name: 'infra',
        type: 'terraform',
        repositoryUrl: 'https://git.example/infra.git',
        repositoryRef: 'main',
        path: 'stacks/prod',
      },
    })
    expect(tf.statusCode).toBe(201)
    expect(tf.json()).toMatchObject({
      type: 'terraform',
      steps: [],
      repositoryUrl: 'https://git.example/infra.git',
      repositoryRef: 'main',
      path: 'stacks/prod',
    })
    expect((await h.call('GET', `/api/v1/templates/${s.template.id}`)).json()).toEqual(s.template)
    const list = (await h.call('GET', `/api/v1/organizations/${s.org.id}/templates`)).json()
    expect(list.items).toHaveLength(2)
    const patched = await h.call('PATCH', `/api/v1/templates/${s.template.id}`, {
      body: {
        steps: [
          { name: 'a', run: 'true' },
          { name: 'b', run: 'false' },
        ],
      },
    })
    expect(patched.json().steps).toHaveLength(2)
  })

  it('creates environments and sets the typed role override', async () => {
    const env = (
      await h.call('POST', `/api/v1/projects/${s.project.id}/environments`, {
        body: { name: 'staging', templateId: s.template.id },
      })
    ).json()
    expect(env).toMatchObject({
      projectId: s.project.id,
      templateId: s.template.id,
      roleArnOverride: null,
    })
    const other = 'arn:aws-cn:iam::123456789012:role/path/other'
    const patched = (
      await h.call('PATCH', `/api/v1/environments/${env.id}`, { body: { roleArnOverride: other } })
    ).json()
    expect(patched.roleArnOverride).toBe(other)
    expect((await h.call('GET', `/api/v1/environments/${env.id}`)).json()).toEqual(patched)
    const list = (await h.call('GET', `/api/v1/projects/${s.project.id}/environments`)).json()
    expect(list.items.map((e: { name: string }) => e.name)).toEqual(['prod', 'staging'])
    const audit = (
      await h.call(
        'GET',
        `/api/v1/organizations/${s.org.id}/audit?action=environment.role_override_set`,
      )
    ).json()
    expect(audit.items[0].details).toMatchObject({
      environmentId: env.id,
      roleArn: other,
      source: 'environment-override',
    })
  })
})

describe('variables', () => {
  const scopes = [
    ['organizations', () => s.org.id],
    ['projects', () => s.project.id],
    ['templates', () => s.template.id],
    ['environments', () => s.environment.id],
  ] as const

  it.each(scopes)(
    'PUT/GET/list/DELETE at %s scope; sensitive values are write-only',
    async (segment, id) => {
      const base = `/api/v1/${segment}/${id()}/variables`
      const created = await h.call('PUT', `${base}/PLAIN`, { body: { value: 'v1' } })
      expect(created.statusCode).toBe(201)
      expect(created.json()).toMatchObject({ name: 'PLAIN', value: 'v1', sensitive: false })
      expect((await h.call('PUT', `${base}/PLAIN`, { body: { value: 'v2' } })).statusCode).toBe(200)
      const secret = await h.call('PUT', `${base}/SECRET`, {
        body: { value: 'hunter2', sensitive: true },
      })
      expect(secret.json()).toMatchObject({ name: 'SECRET', value: null, sensitive: true })
      expect(secret.body).not.toContain('hunter2')
      expect((await h.call('GET', `${base}/SECRET`)).json().value).toBeNull()
      const list = await h.call('GET', base)
      expect(list.json().items.map((v: { name: string }) => v.name)).toEqual(['PLAIN', 'SECRET'])
      expect(list.body).not.toContain('hunter2')
      expect((await h.call('DELETE', `${base}/PLAIN`)).statusCode).toBe(204)
      expect((await h.call('GET', `${base}/PLAIN`)).statusCode).toBe(404)
      expect((await h.call('DELETE', `${base}/SECRET`)).statusCode).toBe(204)
    },
  )
})

describe('credentials', () => {
  it('creates with defaults, gets, lists, patches, assigns and unassigns', async () => {
    const res = await h.call('POST', `/api/v1/organizations/${s.org.id}/credentials`, {
      body: {
        name: 'scoped',
        projectId: s.project.id,
        roleArn: ROLE_ARN,
        planRoleArn: 'arn:aws:iam::123456789012:role/plan',
        durationSeconds: 7200,
        region: 'eu-west-1',
        stsEndpoint: 'http://127.0.0.1:4566',
        sessionTags: false,
        refresh: false,
      },
    })
    expect(res.statusCode).toBe(201)
    const c = res.json()
    expect(c).toMatchObject({
      scope: 'project',
      projectId: s.project.id,
      type: 'aws-oidc',
      durationSeconds: 7200,
      region: 'eu-west-1',
      sessionTags: false,
      refresh: false,
    })
    expect((await h.call('GET', `/api/v1/credentials/${c.id}`)).json()).toEqual(c)
    const list = (await h.call('GET', `/api/v1/organizations/${s.org.id}/credentials`)).json()
    expect(list.items.map((x: { id: string }) => x.id)).toEqual([s.credential.id, c.id])
    expect(
      (
        await h.call('PATCH', `/api/v1/credentials/${c.id}`, { body: { durationSeconds: 900 } })
      ).json().durationSeconds,
    ).toBe(900)
    const project2 = (
      await h.call('POST', `/api/v1/organizations/${s.org.id}/projects`, { body: { name: 'p2' } })
    ).json()
    const assign = await h.call(
      'PUT',
      `/api/v1/projects/${project2.id}/credentials/${s.credential.id}`,
    )
    expect(assign.statusCode).toBe(204)
    expect(assign.body).toBe('')
    expect(
      (await h.call('GET', `/api/v1/projects/${project2.id}/credentials`)).json().items,
    ).toHaveLength(1)
    expect(
      (await h.call('GET', `/api/v1/credentials/${s.credential.id}`)).json().projectIds,
    ).toEqual([s.project.id, project2.id])
    // A project-scoped credential cannot be assigned to another project.
    expect(
      (await h.call('PUT', `/api/v1/projects/${project2.id}/credentials/${c.id}`)).json().error
        .code,
    ).toBe('conflict')
    expect(
      (await h.call('DELETE', `/api/v1/projects/${project2.id}/credentials/${s.credential.id}`))
        .statusCode,
    ).toBe(204)
    expect(
      (await h.call('GET', `/api/v1/projects/${project2.id}/credentials`)).json().items,
    ).toHaveLength(0)
  })
})

describe('deployments', () => {
  it('creates (queued, deployer email), gets, lists with filters and pages, cancels', async () => {
    const create = await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`, {
      key: s.keys.deployer,
    })
    expect(create.statusCode).toBe(201)
    const d = create.json()
    expect(d).toMatchObject({
      status: 'queued',
      type: 'deploy',
      deployerEmail: 'deployer@acme.example',
      environmentId: s.environment.id,
    })
    const plan = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`, {
        body: { type: 'plan' },
      })
    ).json()
    expect(plan).toMatchObject({ type: 'plan', deployerEmail: 'owner@example.com' })
    expect((await h.call('GET', `/api/v1/deployments/${d.id}`)).json()).toEqual(d)
    const cancelled = await h.call('POST', `/api/v1/deployments/${plan.id}/cancel`, {
      key: s.keys.deployer,
    })
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelRequested: true })
    expect((await h.call('POST', `/api/v1/deployments/${plan.id}/cancel`)).json().error.code).toBe(
      'invalid_state',
    )
    for (let i = 0; i < 4; i++)
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    const base = `/api/v1/organizations/${s.org.id}/deployments`
    const queued = (
      await h.call('GET', `${base}?status=queued&environmentId=${s.environment.id}`)
    ).json()
    expect(queued.items.every((x: { status: string }) => x.status === 'queued')).toBe(true)
    expect(
      (await h.call('GET', `${base}?status=cancelled`))
        .json()
        .items.map((x: { id: string }) => x.id),
    ).toEqual([plan.id])
    const seen: string[] = []
    let url = `${base}?limit=2`
    for (;;) {
      const page = (await h.call('GET', url)).json()
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((x: { id: string }) => x.id))
      if (page.nextCursor === null) break
      url = `${base}?limit=2&cursor=${encodeURIComponent(page.nextCursor)}`
    }
    expect(seen).toHaveLength(new Set(seen).size)
    expect(seen[seen.length - 1]).toBe(d.id) // newest first
    expect(seen).toHaveLength(6)
  })
})

describe('API keys, agent tokens, audit', () => {
  it('returns a key once, lists without it, and revokes', async () => {
    const res = await h.call('POST', `/api/v1/organizations/${s.org.id}/api-keys`, {
      body: { role: 'viewer', email: 'v@acme.example', name: 'ci' },
    })
    expect(res.statusCode).toBe(201)
    const k = res.json()
    expect(k).toMatchObject({
      id: expect.stringMatching(/^key_/),
      key: expect.stringMatching(/^kl_/),
      role: 'viewer',
      email: 'v@acme.example',
      revokedAt: null,
    })
    const list = await h.call('GET', `/api/v1/organizations/${s.org.id}/api-keys`)
    expect(list.body).not.toContain(k.key)
    expect(list.json().items.find((x: { id: string }) => x.id === k.id)).not.toHaveProperty('key')
    expect(
      (await h.call('GET', `/api/v1/organizations/${s.org.id}`, { key: k.key })).statusCode,
    ).toBe(200)
    const revoked = await h.call('DELETE', `/api/v1/organizations/${s.org.id}/api-keys/${k.id}`)
    expect(revoked.json().revokedAt).not.toBeNull()
    expect(
      (await h.call('GET', `/api/v1/organizations/${s.org.id}`, { key: k.key })).statusCode,
    ).toBe(401)
  })

  it('returns an agent token once, lists without it, and revokes', async () => {
    const t = (
      await h.call('POST', `/api/v1/organizations/${s.org.id}/agent-tokens`, {
        body: { name: 'runner-2' },
      })
    ).json()
    expect(t).toMatchObject({
      id: expect.stringMatching(/^agt_/),
      token: expect.stringMatching(/^kla_/),
      name: 'runner-2',
    })
    const list = await h.call('GET', `/api/v1/organizations/${s.org.id}/agent-tokens`)
    expect(list.body).not.toContain(t.token)
    expect(
      (await h.call('POST', '/agent/v1/claim', { key: t.token, body: { waitSeconds: 0 } }))
        .statusCode,
    ).not.toBe(401)
    await h.call('DELETE', `/api/v1/organizations/${s.org.id}/agent-tokens/${t.id}`)
    expect(
      (await h.call('POST', '/agent/v1/claim', { key: t.token, body: { waitSeconds: 0 } }))
        .statusCode,
    ).toBe(401)
  })

  it('lists the audit log newest first with filters and paging', async () => {
    const all = (await h.call('GET', `/api/v1/organizations/${s.org.id}/audit?limit=3`)).json()
    expect(all.items).toHaveLength(3)
    expect(all.nextCursor).not.toBeNull()
    const next = (
      await h.call(
        'GET',
        `/api/v1/organizations/${s.org.id}/audit?limit=3&cursor=${encodeURIComponent(all.nextCursor)}`,
      )
    ).json()
    expect(next.items[0].id < all.items[2].id).toBe(true)
    const created = (
      await h.call('GET', `/api/v1/organizations/${s.org.id}/audit?action=credential.created`)
    ).json()
    expect(created.items.every((e: { action: string }) => e.action === 'credential.created')).toBe(
      true,
    )
    expect(created.items.at(-1).details).toMatchObject({ roleArn: ROLE_ARN, durationSeconds: 3600 })
  })
})
