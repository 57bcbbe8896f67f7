/**
 * `GET /api/v1/organizations/{id}/setup/azure`: what the console's Azure setup page shows — the
 * issuer, each azure-oidc credential, the subject each environment's tokens carry (the same a
 * minted token has), the federated credentials each application needs, the generated code, and
 * the refusal over 20 with a template that fits.
 */
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed, startHarness, type Harness } from './harness.js'

const AZURE = {
  type: 'azure-oidc',
  tenantId: '8a1f5c2e-0d4b-4c67-9e1a-3b5f7d9c2e10',
  clientId: '11111111-2222-4333-8444-555555555555',
  subscriptionId: '99999999-8888-4777-8666-555555555555',
}
const PLAN_CLIENT = '66666666-7777-4888-9999-aaaaaaaaaaaa'

let h: Harness
let s: Awaited<ReturnType<typeof seed>>
let other: Awaited<ReturnType<typeof seed>>
let credentialId = ''

const get = (query = '', org = s.org.id, key?: string) =>
  h.call(
    'GET',
    `/api/v1/organizations/${org}/setup/azure${query}`,
    key === undefined ? {} : { key },
  )

beforeAll(async () => {
  h = await startHarness()
  s = await seed(h)
  other = await seed(h, 'globex')
})
afterAll(async () => {
  await h.close()
})

describe('GET /organizations/{id}/setup/azure', () => {
  it('without an azure-oidc credential: empty, with a note', async () => {
    const r = await get('', s.org.id, s.keys.viewer)
    expect(r.statusCode).toBe(200)
    expect(r.json()).toMatchObject({
      issuer: h.idp.issuer,
      content: null,
      credentials: [],
      applications: [],
    })
    expect(r.json().notes).toEqual([
      'No azure-oidc credential yet: create one and assign it to a project.',
    ])
  })

  it('the subject per environment is the one a minted token carries; one FIC per application', async () => {
    const c = await h.call('POST', `/api/v1/organizations/${s.org.id}/credentials`, {
      body: { ...AZURE, name: 'azure', planClientId: PLAN_CLIENT },
    })
    expect(c.statusCode, c.body).toBe(201)
    credentialId = c.json().id
    await h.call('PUT', `/api/v1/projects/${s.project.id}/credentials/${credentialId}`)
    const r = await get('?format=json', s.org.id, s.keys.viewer)
    expect(r.statusCode, r.body).toBe(200)
    const body = r.json()
    const subject = `org:${s.org.id}:project:${s.project.id}:environment:${s.environment.id}`
    expect(body.credentials).toEqual([
      {
        id: credentialId,
        name: 'azure',
        clientId: AZURE.clientId,
        planClientId: PLAN_CLIENT,
        audience: `azure:${s.org.id}`,
        subjectTemplate: 'org:{organizationId}:project:{projectId}:environment:{environmentId}',
      },
    ])
    // A custom template: deploy and destroy apply, plan plans (the plan client), task.
    expect(body.environments).toEqual([
      {
        credentialId,
        projectId: s.project.id,
        environmentId: s.environment.id,
        subjects: [
          {
            clientId: AZURE.clientId,
            subject,
            runPhases: ['apply', 'task'],
            deploymentTypes: ['deploy', 'destroy', 'task'],
          },
          { clientId: PLAN_CLIENT, subject, runPhases: ['plan'], deploymentTypes: ['plan'] },
        ],
      },
    ])
    expect(
      body.applications.map((a: { clientId: string; role: string; count: number }) => [
        a.clientId,
        a.role,
        a.count,
      ]),
    ).toEqual([
      [AZURE.clientId, 'deploy', 1],
      [PLAN_CLIENT, 'plan', 1],
    ])
    expect(body.applications[0].federatedIdentityCredentials[0]).toMatchObject({
      issuer: h.idp.issuer,
      subject,
      audiences: [`azure:${s.org.id}`],
    })
    expect(JSON.parse(body.content).applications).toHaveLength(2)

    const preview = await h.call(
      'GET',
      `/api/v1/environments/${s.environment.id}/oidc-preview?cloud=azure`,
    )
    expect(preview.json().claims.sub).toBe(subject)
    const d = await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`, {
      body: { type: 'deploy' },
    })
    const minted = await h.call('POST', `/api/v1/deployments/${d.json().id}/oidc-token`, {
      body: { cloud: 'azure' },
    })
    expect(minted.statusCode, minted.body).toBe(200)
    expect(decodeJwt(minted.json().token)).toMatchObject({
      iss: h.idp.issuer,
      sub: subject,
      aud: `azure:${s.org.id}`,
    })
  })

  it.each([
    ['terraform', 'resource "azuread_application_federated_identity_credential"'],
    ['cli', 'az ad app federated-credential create --id'],
  ])('format %s', async (format, text) => {
    const r = await get(`?format=${format}`)
    expect(r.statusCode).toBe(200)
    expect(r.json().format).toBe(format)
    expect(r.json().content).toContain(text)
  })

  it('over 20: no code, the reason and a template that fits', async () => {
    const p = (
      await h.call('POST', `/api/v1/organizations/${s.org.id}/projects`, { body: { name: 'many' } })
    ).json()
    for (let i = 0; i < 21; i++)
      await h.call('POST', `/api/v1/projects/${p.id}/environments`, {
        body: { name: `e${i}`, templateId: s.template.id },
      })
    await h.call('PUT', `/api/v1/projects/${p.id}/credentials/${credentialId}`)
    const r = await get()
    expect(r.statusCode).toBe(200)
    const body = r.json()
    expect(body.content).toBeNull()
    expect(body.overLimit).toHaveLength(2)
    expect(body.overLimit[0]).toMatchObject({
      clientId: AZURE.clientId,
      needed: 22,
      suggestedTemplate: 'org:{organizationId}:project:{projectId}',
      suggestedCount: 2,
    })
    expect(body.overLimit[0].message).toContain(`PATCH /api/v1/credentials/${credentialId}`)
    const narrowed = await get(`?projectId=${s.project.id}`)
    expect(narrowed.json().content).not.toBeNull()
  })

  it.each([
    ['an unknown format', '?format=yaml', 400, 'validation_failed'],
    ['an unknown field', '?roleName=x', 400, 'validation_failed'],
    ['a project of another organization', () => `?projectId=${other.project.id}`, 404, 'not_found'],
    ['an unknown credential', '?credentialId=crd_nope', 404, 'not_found'],
  ])('refuses %s', async (_name, query, status, code) => {
    const r = await get(typeof query === 'function' ? query() : query)
    expect(r.statusCode).toBe(status)
    expect(r.json().error.code).toBe(code)
  })

  it('another organization’s key: not found', async () => {
    const r = await get('', s.org.id, other.keys.admin)
    expect(r.statusCode).toBe(404)
  })
})
