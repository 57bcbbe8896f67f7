/**
 * `GET /api/v1/organizations/{id}/setup/gcp`: the issuer, each gcp-oidc credential, the provider
 * pinning the organization, the workloadIdentityUser binding and the generated code; another
 * organization's key is refused; a bad format is a 400. The environment's token preview for gcp.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed, startHarness, type Harness } from './harness.js'

const GCP = {
  type: 'gcp-oidc',
  name: 'gcp',
  projectNumber: '123456789012',
  gcpProjectId: 'my-proj',
  poolId: 'keyless-pool',
  providerId: 'keyless',
  serviceAccountEmail: 'deployer@my-proj.iam.gserviceaccount.com',
}

let h: Harness
let s: Awaited<ReturnType<typeof seed>>
let other: Awaited<ReturnType<typeof seed>>

const get = (query: string, org: string, key: string) =>
  h.call('GET', `/api/v1/organizations/${org}/setup/gcp${query}`, { key })

beforeAll(async () => {
  h = await startHarness()
  s = await seed(h)
  other = await seed(h, 'globex')
})
afterAll(async () => {
  await h.close()
})

describe('GET /organizations/{id}/setup/gcp', () => {
  it('without a gcp-oidc credential: empty, with a note', async () => {
    const r = await get('', s.org.id, s.keys.viewer)
    expect(r.statusCode).toBe(200)
    expect(r.json()).toMatchObject({ issuer: h.idp.issuer, content: null, providers: [] })
    expect(r.json().notes).toEqual([
      'No gcp-oidc credential yet: create one and assign it to a project.',
    ])
  })

  it('the provider pins the organization; the binding its principal set; the code', async () => {
    const c = await h.call('POST', `/api/v1/organizations/${s.org.id}/credentials`, { body: GCP })
    expect(c.statusCode, c.body).toBe(201)
    await h.call('PUT', `/api/v1/projects/${s.project.id}/credentials/${c.json().id}`)
    const r = await get('?format=gcloud', s.org.id, s.keys.viewer)
    expect(r.statusCode, r.body).toBe(200)
    const body = r.json()
    expect(body.providers).toEqual([
      {
        name: 'projects/123456789012/locations/global/workloadIdentityPools/keyless-pool/providers/keyless',
        issuerUri: h.idp.issuer,
        allowedAudiences: [`gcp:${s.org.id}`],
        attributeMapping: {
          'google.subject': 'assertion.sub',
          'attribute.organization': 'assertion.organizationId',
          'attribute.project': 'assertion.projectId',
          'attribute.environment': 'assertion.environmentId',
        },
        attributeCondition: `assertion.organizationId == '${s.org.id}'`,
      },
    ])
    const set = `principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/keyless-pool`
    expect(body.bindings).toEqual([
      {
        serviceAccountEmail: GCP.serviceAccountEmail,
        role: 'roles/iam.workloadIdentityUser',
        member: `${set}/attribute.organization/${s.org.id}`,
      },
    ])
    expect(body.content).toContain('gcloud iam workload-identity-pools providers create-oidc')
    const per = await get('?perEnvironment=true', s.org.id, s.keys.viewer)
    expect(per.json().bindings[0].member).toBe(`${set}/attribute.environment/${s.environment.id}`)
  })

  it('a credential assigned to no project: a note that says so and how to assign it', async () => {
    const c = await h.call('POST', `/api/v1/organizations/${s.org.id}/credentials`, {
      body: { ...GCP, name: 'gcp-unassigned', poolId: 'other-pool' },
    })
    expect(c.statusCode, c.body).toBe(201)
    const r = await get('', s.org.id, s.keys.viewer)
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json().notes).toContain(
      `credential gcp-unassigned is assigned to no project, so no environment's subject is set up or checked, and its deployments get no token until it is assigned to a project (PUT /api/v1/projects/<project>/credentials/${c.json().id})`,
    )
    await h.call('DELETE', `/api/v1/credentials/${c.json().id}`)
  })

  it("another organization's key is refused; a bad format is a 400", async () => {
    expect((await get('', s.org.id, other.keys.viewer)).statusCode).toBe(404)
    expect((await get('?format=yaml', s.org.id, s.keys.viewer)).statusCode).toBe(400)
  })
})

describe('GET /environments/{id}/oidc-preview?cloud=', () => {
  const preview = (query: string) =>
    h.call('GET', `/api/v1/environments/${s.environment.id}/oidc-preview${query}`, {
      key: s.keys.viewer,
    })

  it('gcp: the GCP credential’s audience and subject; aws stays the default', async () => {
    const gcp = await preview('?cloud=gcp')
    expect(gcp.statusCode, gcp.body).toBe(200)
    expect(gcp.json().claims).toMatchObject({
      aud: `gcp:${s.org.id}`,
      sub: `org:${s.org.id}:project:${s.project.id}:environment:${s.environment.id}:type:deploy`,
    })
    expect(gcp.json()).toMatchObject({ roleArn: null, roleSource: null })
    expect(gcp.json().credentialId).toMatch(/^cred_/u)
    const plan = await preview('?cloud=gcp&type=plan')
    expect(plan.json().claims.sub).toMatch(/:type:plan$/u)
    const aws = await preview('')
    expect(aws.statusCode).toBe(200)
    expect(aws.json().claims.aud).not.toBe(`gcp:${s.org.id}`)
    expect((await preview('?cloud=aws')).json().claims.aud).toBe(aws.json().claims.aud)
  })

  it('a cloud without a credential is a 409 no_cloud_credential; an unknown cloud a 400', async () => {
    const azure = await preview('?cloud=azure')
    expect(azure.statusCode).toBe(409)
    expect(azure.json().error.code).toBe('no_cloud_credential')
    const bad = await preview('?cloud=oracle')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('validation_failed')
  })
})
