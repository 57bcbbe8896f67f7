/** Authentication, roles and organization isolation (a foreign organization's object is 404). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed, startHarness, type Harness } from './harness.js'

let h: Harness
let a: Awaited<ReturnType<typeof seed>>
let b: Awaited<ReturnType<typeof seed>>
let deploymentA: string

beforeAll(async () => {
  h = await startHarness()
  a = await seed(h, 'alpha')
  b = await seed(h, 'bravo')
  deploymentA = (
    await h.call('POST', `/api/v1/environments/${a.environment.id}/deployments`)
  ).json().id
})
afterAll(async () => {
  await h.close()
})

function code(res: { json(): unknown }): string {
  return (res.json() as { error: { code: string } }).error.code
}

describe('authentication', () => {
  it('refuses a missing, malformed, unknown or revoked key with 401', async () => {
    for (const key of [null, '', 'kl_unknown-key-0000000000000000000000']) {
      const res = await h.call('GET', '/api/v1/organizations', { key })
      expect(res.statusCode).toBe(401)
      expect(code(res)).toBe('unauthorized')
    }
    const basic = await h.app.inject({
      method: 'GET',
      url: '/api/v1/organizations',
      headers: { authorization: 'Basic eDp5' },
    })
    expect(basic.statusCode).toBe(401)
    const k = (
      await h.call('POST', `/api/v1/organizations/${a.org.id}/api-keys`, {
        body: { role: 'admin', email: 'x@alpha.example' },
      })
    ).json()
    await h.call('DELETE', `/api/v1/organizations/${a.org.id}/api-keys/${k.id}`)
    expect(
      (await h.call('GET', `/api/v1/organizations/${a.org.id}`, { key: k.key })).statusCode,
    ).toBe(401)
  })

  it('keeps agent tokens on /agent/v1 and API keys off it', async () => {
    expect(
      (await h.call('GET', `/api/v1/organizations/${a.org.id}`, { key: a.keys.agent })).statusCode,
    ).toBe(401)
    expect(
      (await h.call('POST', '/agent/v1/claim', { key: a.keys.admin, body: { waitSeconds: 0 } }))
        .statusCode,
    ).toBe(401)
    expect(
      (await h.call('POST', '/agent/v1/claim', { key: h.ownerKey, body: { waitSeconds: 0 } }))
        .statusCode,
    ).toBe(401)
  })

  it('never leaks the key in an error', async () => {
    const res = await h.call('GET', '/api/v1/organizations', {
      key: 'kl_secret-value-that-must-not-echo',
    })
    expect(res.body).not.toContain('secret-value')
  })
})

describe('roles', () => {
  it('lets a viewer read but not write', async () => {
    const v = a.keys.viewer
    expect(
      (await h.call('GET', `/api/v1/organizations/${a.org.id}/projects`, { key: v })).statusCode,
    ).toBe(200)
    expect((await h.call('GET', `/api/v1/deployments/${deploymentA}`, { key: v })).statusCode).toBe(
      200,
    )
    const writes: Array<[string, string, unknown?]> = [
      ['POST', `/api/v1/organizations/${a.org.id}/projects`, { name: 'x' }],
      ['PATCH', `/api/v1/projects/${a.project.id}`, { name: 'x' }],
      ['POST', `/api/v1/environments/${a.environment.id}/deployments`, {}],
      ['POST', `/api/v1/deployments/${deploymentA}/cancel`],
      ['PUT', `/api/v1/projects/${a.project.id}/variables/X`, { value: '1' }],
      [
        'POST',
        `/api/v1/organizations/${a.org.id}/api-keys`,
        { role: 'admin', email: 'e@x.example' },
      ],
      ['POST', `/api/v1/deployments/${deploymentA}/oidc-token`],
      ['GET', `/api/v1/organizations/${a.org.id}/audit`],
    ]
    for (const [method, url, body] of writes) {
      const res = await h.call(method, url, { key: v, ...(body === undefined ? {} : { body }) })
      expect([method, url, res.statusCode]).toEqual([method, url, 403])
      expect(code(res)).toBe('forbidden')
    }
  })

  it('lets a deployer create and cancel deployments but not administer', async () => {
    const d = a.keys.deployer
    const res = await h.call('POST', `/api/v1/environments/${a.environment.id}/deployments`, {
      key: d,
    })
    expect(res.statusCode).toBe(201)
    expect(
      (await h.call('POST', `/api/v1/deployments/${res.json().id}/cancel`, { key: d })).statusCode,
    ).toBe(200)
    expect(
      (
        await h.call('PATCH', `/api/v1/environments/${a.environment.id}`, {
          key: d,
          body: { name: 'y' },
        })
      ).statusCode,
    ).toBe(403)
    expect(
      (await h.call('POST', `/api/v1/deployments/${deploymentA}/oidc-token`, { key: d }))
        .statusCode,
    ).toBe(403)
  })

  it('lets an admin do everything in its organization but not create organizations', async () => {
    const k = a.keys.admin
    expect(
      (
        await h.call('POST', `/api/v1/organizations/${a.org.id}/projects`, {
          key: k,
          body: { name: 'adm' },
        })
      ).statusCode,
    ).toBe(201)
    expect(
      (
        await h.call('PATCH', `/api/v1/organizations/${a.org.id}`, {
          key: k,
          body: { name: 'Alpha' },
        })
      ).statusCode,
    ).toBe(200)
    expect(
      (await h.call('GET', `/api/v1/organizations/${a.org.id}/audit`, { key: k })).statusCode,
    ).toBe(200)
    const org = await h.call('POST', '/api/v1/organizations', { key: k, body: { name: 'mine' } })
    expect(org.statusCode).toBe(403)
  })

  it('shows an organization key only its own organization in the list', async () => {
    const list = (await h.call('GET', '/api/v1/organizations', { key: a.keys.viewer })).json()
    expect(list.items.map((o: { id: string }) => o.id)).toEqual([a.org.id])
  })
})

describe('organization isolation', () => {
  it('answers 404 (not 403) for every object of another organization', async () => {
    const k = b.keys.admin
    const urls: Array<[string, string, unknown?]> = [
      ['GET', `/api/v1/organizations/${a.org.id}`],
      ['PATCH', `/api/v1/organizations/${a.org.id}`, { name: 'x' }],
      ['GET', `/api/v1/organizations/${a.org.id}/projects`],
      ['POST', `/api/v1/organizations/${a.org.id}/projects`, { name: 'x' }],
      ['GET', `/api/v1/projects/${a.project.id}`],
      ['GET', `/api/v1/templates/${a.template.id}`],
      ['GET', `/api/v1/environments/${a.environment.id}`],
      ['GET', `/api/v1/credentials/${a.credential.id}`],
      ['GET', `/api/v1/deployments/${deploymentA}`],
      ['GET', `/api/v1/deployments/${deploymentA}/logs?format=json`],
      ['POST', `/api/v1/deployments/${deploymentA}/cancel`],
      ['POST', `/api/v1/deployments/${deploymentA}/oidc-token`],
      ['POST', `/api/v1/environments/${a.environment.id}/deployments`, {}],
      ['GET', `/api/v1/environments/${a.environment.id}/oidc-preview`],
      ['GET', `/api/v1/organizations/${a.org.id}/oidc`],
      ['GET', `/api/v1/organizations/${a.org.id}/audit`],
      ['GET', `/api/v1/organizations/${a.org.id}/deployments`],
      ['PUT', `/api/v1/environments/${a.environment.id}/variables/X`, { value: '1' }],
      ['GET', `/api/v1/organizations/${a.org.id}/api-keys`],
    ]
    for (const [method, url, body] of urls) {
      const res = await h.call(method, url, { key: k, ...(body === undefined ? {} : { body }) })
      expect([method, url, res.statusCode]).toEqual([method, url, 404])
      expect(code(res)).toBe('not_found')
    }
  })

  it('refuses to link objects across organizations', async () => {
    // Environment of project A with template B; credential B assigned to project A.
    const env = await h.call('POST', `/api/v1/projects/${a.project.id}/environments`, {
      body: { name: 'x', templateId: b.template.id },
    })
    expect(env.statusCode).toBe(404)
    const assign = await h.call(
      'PUT',
      `/api/v1/projects/${a.project.id}/credentials/${b.credential.id}`,
    )
    expect(assign.statusCode).toBe(404)
    const cred = await h.call('POST', `/api/v1/organizations/${a.org.id}/credentials`, {
      body: { name: 'x', projectId: b.project.id, roleArn: 'arn:aws:iam::123456789012:role/x' },
    })
    expect(cred.statusCode).toBe(404)
  })

  it("keeps agents to their organization's deployments", async () => {
    expect(
      (
        await h.call('POST', `/agent/v1/deployments/${deploymentA}/heartbeat`, {
          key: b.keys.agent,
        })
      ).statusCode,
    ).toBe(404)
    const claim = await h.call('POST', '/agent/v1/claim', {
      key: b.keys.agent,
      body: { waitSeconds: 0 },
    })
    expect(claim.statusCode).toBe(204)
  })
})
