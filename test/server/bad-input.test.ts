/** Every "Bad input" of issue 2: a clear 4xx with a stable code, and nothing half-written. */
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

function error(res: { json(): unknown }) {
  return (
    res.json() as {
      error: {
        code: string
        message: string
        details: { fields?: Array<{ path: string; message: string }> }
      }
    }
  ).error
}

async function count(
  table: 'organizations' | 'credentials' | 'projects' | 'deployments' | 'audit_events',
): Promise<number> {
  const row = await h.store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describe('bad input', () => {
  it('malformed JSON → 400 bad_request', async () => {
    for (const payload of ['{', '{"name":', 'nul', '[1,', '\u0000']) {
      const res = await h.call('POST', '/api/v1/organizations', { payload })
      expect(res.statusCode).toBe(400)
      expect(error(res).code).toBe('bad_request')
    }
  })

  it('a non-JSON content type → 400 bad_request', async () => {
    const res = await h.call('POST', '/api/v1/organizations', {
      payload: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res.statusCode).toBe(400)
    expect(error(res).code).toBe('bad_request')
  })

  it('a body over 1 MiB → 413', async () => {
    const res = await h.call('POST', '/api/v1/organizations', {
      body: { name: 'x'.repeat(1024 * 1024) },
    })
    expect(res.statusCode).toBe(413)
    expect(error(res).code).toBe('payload_too_large')
  })

  it('unknown fields, wrong types and over-long names are all named in details.fields', async () => {
    const before = await count('credentials')
    const res = await h.call('POST', `/api/v1/organizations/${s.org.id}/credentials`, {
      body: {
        name: 'n'.repeat(129),
        roleArn: 42,
        durationSeconds: '3600',
        sessionTags: 'yes',
        colour: 'blue',
        extra: 1,
      },
    })
    expect(res.statusCode).toBe(400)
    const e = error(res)
    expect(e.code).toBe('validation_failed')
    expect(e.details.fields?.map((f) => f.path).sort()).toEqual([
      'colour',
      'durationSeconds',
      'extra',
      'name',
      'roleArn',
      'sessionTags',
    ])
    expect(await count('credentials')).toBe(before)
  })

  it.each([
    ['a user ARN', 'arn:aws:iam::123456789012:user/deploy'],
    ['an STS ARN', 'arn:aws:sts::123456789012:assumed-role/deploy/x'],
    ['a short account', 'arn:aws:iam::12345:role/deploy'],
    ['another partition', 'arn:azure:iam::123456789012:role/deploy'],
    ['no name', 'arn:aws:iam::123456789012:role/'],
  ])('a role ARN that is %s → 400 naming roleArn', async (_what, roleArn) => {
    const res = await h.call('POST', `/api/v1/organizations/${s.org.id}/credentials`, {
      body: { name: 'x', roleArn },
    })
    expect(res.statusCode).toBe(400)
    expect(error(res).details.fields).toEqual([
      { path: 'roleArn', message: expect.stringContaining('IAM role ARN') },
    ])
  })

  it('a bad role override on an environment or plan role → 400', async () => {
    const env = await h.call('PATCH', `/api/v1/environments/${s.environment.id}`, {
      body: { roleArnOverride: 'arn:aws:iam::123456789012:policy/x' },
    })
    expect(error(env).details.fields?.[0]?.path).toBe('roleArnOverride')
    const cred = await h.call('PATCH', `/api/v1/credentials/${s.credential.id}`, {
      body: { planRoleArn: 'nope' },
    })
    expect(error(cred).details.fields?.[0]?.path).toBe('planRoleArn')
  })

  it.each([899, 43201, 0, -1, 3600.5])('durationSeconds %s → 400', async (durationSeconds) => {
    const res = await h.call('POST', `/api/v1/organizations/${s.org.id}/credentials`, {
      body: { name: 'x', roleArn: ROLE_ARN, durationSeconds },
    })
    expect(res.statusCode).toBe(400)
    expect(error(res).details.fields?.map((f) => f.path)).toEqual(['durationSeconds'])
  })

  it('accepts the duration bounds 900 and 43200', async () => {
    for (const durationSeconds of [900, 43200]) {
      const res = await h.call('POST', `/api/v1/organizations/${s.org.id}/credentials`, {
        body: { name: 'x', roleArn: ROLE_ARN, durationSeconds },
      })
      expect(res.statusCode).toBe(201)
    }
  })

  it.each([
    ['unknown placeholder', 'org:{organizationId}:repo:{repository}'],
    ['no placeholder', 'constant'],
    ['unbalanced brace', 'org:{organizationId'],
    ['wildcard', 'org:{organizationId}:*'],
  ])('a subject template with %s → 400 and nothing changed', async (_what, subjectTemplate) => {
    const res = await h.call('PATCH', `/api/v1/organizations/${s.org.id}`, {
      body: { subjectTemplate, name: 'renamed' },
    })
    expect(res.statusCode).toBe(400)
    expect(error(res).details.fields?.[0]?.path).toBe('subjectTemplate')
    const org = (await h.call('GET', `/api/v1/organizations/${s.org.id}`)).json()
    expect(org.name).toBe(s.org.name)
    expect(org.subjectTemplate).toBe(s.org.subjectTemplate)
  })

  it('an unknown placeholder on create → 400 and no organization', async () => {
    const before = await count('organizations')
    const res = await h.call('POST', '/api/v1/organizations', {
      body: { name: 'x', subjectTemplate: '{nope}' },
    })
    expect(res.statusCode).toBe(400)
    expect(await count('organizations')).toBe(before)
  })

  it('a foreign or unknown organization id → 404', async () => {
    for (const id of ['org_doesnotexist', "org_'; DROP TABLE organizations; --", 'x'.repeat(64)]) {
      const res = await h.call('GET', `/api/v1/organizations/${encodeURIComponent(id)}/projects`)
      expect(res.statusCode).toBe(404)
    }
    const long = await h.call('GET', `/api/v1/organizations/${'x'.repeat(65)}`)
    expect(long.statusCode).toBe(400)
  })

  it('wrong types in a deployment body and query → 400', async () => {
    const before = await count('deployments')
    const res = await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`, {
      body: { type: 'apply' },
    })
    expect(error(res).details.fields?.[0]?.path).toBe('type')
    const list = await h.call(
      'GET',
      `/api/v1/organizations/${s.org.id}/deployments?status=done&limit=0&bogus=1`,
    )
    expect(
      error(list)
        .details.fields?.map((f) => f.path)
        .sort(),
    ).toEqual(['bogus', 'limit', 'status'])
    const cursor = await h.call(
      'GET',
      `/api/v1/organizations/${s.org.id}/deployments?cursor=notacursor`,
    )
    expect(error(cursor).code).toBe('validation_failed')
    expect(await count('deployments')).toBe(before)
  })

  it('variables: bad names and sensitive values never echoed', async () => {
    const bad = await h.call('PUT', `/api/v1/projects/${s.project.id}/variables/1BAD`, {
      body: { value: 'x' },
    })
    expect(bad.statusCode).toBe(400)
    const missing = await h.call('PUT', `/api/v1/projects/${s.project.id}/variables/OK`, {
      body: { sensitive: true },
    })
    expect(error(missing).details.fields?.map((f) => f.path)).toEqual(['value'])
  })

  it('api keys need a role and an email', async () => {
    const res = await h.call('POST', `/api/v1/organizations/${s.org.id}/api-keys`, {
      body: { role: 'root', email: 'not-an-email' },
    })
    expect(
      error(res)
        .details.fields?.map((f) => f.path)
        .sort(),
    ).toEqual(['email', 'role'])
    const none = await h.call('POST', `/api/v1/organizations/${s.org.id}/api-keys`, {
      body: { role: 'admin' },
    })
    expect(error(none).details.fields?.map((f) => f.path)).toEqual(['email'])
  })

  it('a mint for a deployment that is not running (agent) or finished (manual) → 409', async () => {
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    ).json()
    const claim = await h.call('POST', '/agent/v1/claim', {
      key: s.keys.agent,
      body: { waitSeconds: 0 },
    })
    expect(claim.json().deployment.id).toBe(dep.id)
    const early = await h.call('POST', `/agent/v1/deployments/${dep.id}/oidc-token`, {
      key: s.keys.agent,
    })
    expect(early.statusCode).toBe(409)
    expect(error(early).code).toBe('invalid_state')
    await h.call('POST', `/agent/v1/deployments/${dep.id}/status`, {
      key: s.keys.agent,
      body: { status: 'running' },
    })
    await h.call('POST', `/agent/v1/deployments/${dep.id}/status`, {
      key: s.keys.agent,
      body: { status: 'succeeded' },
    })
    const late = await h.call('POST', `/api/v1/deployments/${dep.id}/oidc-token`)
    expect(late.statusCode).toBe(409)
    expect(error(late).code).toBe('invalid_state')
    const agentLate = await h.call('POST', `/agent/v1/deployments/${dep.id}/oidc-token`, {
      key: s.keys.agent,
    })
    expect(agentLate.statusCode).toBe(409)
  })

  it('NUL characters anywhere → 400 naming the field (PostgreSQL cannot store them)', async () => {
    const body = await h.call('POST', '/api/v1/organizations', { body: { name: 'a\u0000b' } })
    expect(body.statusCode).toBe(400)
    expect(error(body).details.fields).toEqual([
      { path: 'name', message: 'must not contain NUL characters' },
    ])
    const path = await h.call('GET', '/api/v1/projects/a%00b')
    expect(error(path).code).toBe('validation_failed')
    const query = await h.call(
      'GET',
      `/api/v1/organizations/${s.org.id}/deployments?environmentId=a%00`,
    )
    expect(error(query).code).toBe('validation_failed')
    const cursor = Buffer.from(JSON.stringify(['a\u0000', 'b'])).toString('base64url')
    const page = await h.call(
      'GET',
      `/api/v1/organizations/${s.org.id}/deployments?cursor=${cursor}`,
    )
    expect(error(page).code).toBe('validation_failed')
  })

  it('a URL that does not decode → 400 bad_request in the usual error shape', async () => {
    const res = await h.call('GET', '/api/v1/projects/%ED%A0%80')
    expect(res.statusCode).toBe(400)
    expect(error(res).code).toBe('bad_request')
  })

  it('unknown routes → 404 JSON, never a 500', async () => {
    const res = await h.call('GET', '/api/v1/nothing-here')
    expect(res.statusCode).toBe(404)
    expect(error(res).code).toBe('not_found')
  })

  it('an agent status report with bad fields → 400 naming each', async () => {
    const res = await h.call('POST', `/agent/v1/deployments/dep_x/status`, {
      key: s.keys.agent,
      body: { status: 'done', step: { index: -1 }, extra: true },
    })
    expect(res.statusCode).toBe(400)
    const paths = error(res)
      .details.fields?.map((f) => f.path)
      .sort()
    expect(paths).toEqual(
      expect.arrayContaining(['extra', 'status', 'step.index', 'step.name', 'step.status']),
    )
  })
})
