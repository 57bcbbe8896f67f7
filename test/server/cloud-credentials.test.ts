/**
 * Credentials of every cloud (src/platform/credential-input.ts): validation, one assignment per
 * cloud, and each cloud's own token (its audience, its subject; Google's 127-byte limit).
 */
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AZURE, CLIENT, GCP, TENANT } from './cloud-credential-bodies.js'
import { seed, startHarness, type Harness } from './harness.js'

let h: Harness
let s: Awaited<ReturnType<typeof seed>>
let other: Awaited<ReturnType<typeof seed>>

beforeAll(async () => {
  h = await startHarness()
  s = await seed(h)
  other = await seed(h, 'globex')
})
afterAll(async () => {
  await h.close()
})

const create = (body: object, org = s.org.id) =>
  h.call('POST', `/api/v1/organizations/${org}/credentials`, { body })

/** Bodies the API refuses, the error code and a word the message must contain. */
const refused: ReadonlyArray<readonly [string, object, string, string]> = [
  ['tenant not a GUID', { ...AZURE, name: 'a', tenantId: 'contoso' }, 'validation_failed', 'GUID'],
  [
    'http authority',
    { ...AZURE, name: 'a', authorityHost: 'http://login.example' },
    'validation_failed',
    'https',
  ],
  [
    'audience over 600',
    { ...AZURE, name: 'a', audience: 'x'.repeat(601) },
    'validation_failed',
    'audience',
  ],
  [
    "another org's default audience",
    { ...AZURE, name: 'a', audience: 'azure:org_other' },
    'validation_failed',
    'does not name this organization',
  ],
  [
    'unknown field',
    { ...AZURE, name: 'a', roleArn: 'arn:aws:iam::123456789012:role/x' },
    'validation_failed',
    'roleArn',
  ],
  [
    'project number not digits',
    { ...GCP, name: 'g', projectNumber: 'acme' },
    'validation_failed',
    'project number',
  ],
  [
    'pool id reserved prefix',
    { ...GCP, name: 'g', poolId: 'gcp-pool' },
    'validation_failed',
    'gcp-',
  ],
  [
    'lifetime below 600 s',
    { ...GCP, name: 'g', tokenLifetimeSeconds: 60 },
    'validation_failed',
    '600',
  ],
  ['unknown type', { name: 'x', type: 'oci-oidc' }, 'validation_failed', 'type'],
  [
    'subject template of another org',
    { ...GCP, name: 'g', subjectTemplate: 'org:org_x:{projectId}' },
    'validation_failed',
    'subjectTemplate',
  ],
]

describe('cloud credentials', () => {
  it.each(refused)('refuses %s', async (_, body, code, word) => {
    const res = await create(body)
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe(code)
    expect(res.json().error.message).toContain(word)
  })

  it('creates an Azure credential with the defaults of the design', async () => {
    const res = await create({ ...AZURE, name: 'azure', tenantId: TENANT.toUpperCase() })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({
      type: 'azure-oidc',
      tenantId: TENANT,
      audience: `azure:${s.org.id}`,
      authorityHost: 'https://login.microsoftonline.com',
      planClientId: null,
      subjectTemplate: null,
    })
  })

  it('refuses an audience another organization holds, in either direction', async () => {
    const taken = await create(
      { ...GCP, name: 'g', audience: 'https://keyless.example/gcp' },
      other.org.id,
    )
    expect(taken.statusCode).toBe(201)
    const mine = await create({ ...GCP, name: 'g', audience: 'https://keyless.example/gcp' })
    expect(mine.statusCode).toBe(409)
    expect(mine.json().error.code).toBe('audience_taken')
    const org = await h.call('PATCH', `/api/v1/organizations/${s.org.id}`, {
      body: { audience: 'https://keyless.example/gcp' },
    })
    expect(org.json().error.code).toBe('audience_taken')
  })

  it('refuses a PATCH with a field of another cloud', async () => {
    const c = (await create({ ...AZURE, name: 'patch-me' })).json()
    const res = await h.call('PATCH', `/api/v1/credentials/${c.id}`, {
      body: { poolId: 'keyless' },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toContain('poolId cannot be set on a azure-oidc credential')
    const ok = await h.call('PATCH', `/api/v1/credentials/${c.id}`, {
      body: { planClientId: CLIENT, authorityHost: 'https://login.example.com/' },
    })
    expect(ok.json()).toMatchObject({
      planClientId: CLIENT,
      authorityHost: 'https://login.example.com',
    })
  })
})

describe('one credential per cloud, one token per cloud', () => {
  let deploymentId: string
  let gcpId: string

  beforeAll(async () => {
    const azure = (await create({ ...AZURE, name: 'az' })).json()
    const gcp = (await create({ ...GCP, name: 'gc' })).json()
    gcpId = gcp.id
    for (const c of [azure, gcp])
      expect(
        (await h.call('PUT', `/api/v1/projects/${s.project.id}/credentials/${c.id}`)).statusCode,
      ).toBe(204)
    const listed = (await h.call('GET', `/api/v1/projects/${s.project.id}/credentials`)).json()
    expect(listed.items.map((c: { type: string }) => c.type).sort()).toEqual([
      'aws-oidc',
      'azure-oidc',
      'gcp-oidc',
    ])
    deploymentId = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`, {
        key: s.keys.admin,
        body: {},
      })
    ).json().id
  })

  const mint = async (body: object) =>
    h.call('POST', `/api/v1/deployments/${deploymentId}/oidc-token`, { key: s.keys.admin, body })

  const clouds: ReadonlyArray<readonly [string, object, (org: string) => string, string]> = [
    ['aws (default)', {}, (org) => `aws:${org}`, ':type:deploy'],
    ['azure', { cloud: 'azure' }, (org) => `azure:${org}`, `:environment:`],
    ['gcp', { cloud: 'gcp' }, (org) => `gcp:${org}`, ':type:deploy'],
  ]
  it.each(clouds)('mints the %s token with its audience and subject', async (_, body, aud, end) => {
    const res = await mint(body)
    expect(res.statusCode).toBe(200)
    const claims = decodeJwt(res.json().token)
    expect(claims.aud).toBe(aud(s.org.id))
    expect(typeof claims.iat).toBe('number')
    expect(String(claims.sub).startsWith(`org:${s.org.id}:`)).toBe(true)
    if (end === ':environment:')
      expect(claims.sub).toMatch(new RegExp(`:environment:${s.environment.id}$`))
    else expect(claims.sub).toContain(end)
    // Only AWS reads session tags.
    expect('https://aws.amazon.com/tags' in claims).toBe(!('cloud' in body))
  })

  it('refuses a GCP subject over 127 bytes and names the template to change', async () => {
    const long = `org:{organizationId}:project:{projectId}:environment:{environmentId}:template:{templateId}:deployment:{deploymentId}`
    await h.call('PATCH', `/api/v1/credentials/${gcpId}`, { body: { subjectTemplate: long } })
    const res = await mint({ cloud: 'gcp' })
    expect(res.json().error.code).toBe('subject_too_long')
    expect(res.json().error.message).toContain('127 bytes')
    expect(res.json().error.message).toContain(long)
  })

  it('says which cloud has no credential', async () => {
    const d = (
      await h.call('POST', `/api/v1/environments/${other.environment.id}/deployments`, {
        key: other.keys.admin,
        body: {},
      })
    ).json()
    const res = await h.call('POST', `/api/v1/deployments/${d.id}/oidc-token`, {
      key: other.keys.admin,
      body: { cloud: 'azure' },
    })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('no_cloud_credential')
    expect(res.json().error.message).toContain('no azure credential')
  })

  it('hands the agent every cloud of the project on claim', async () => {
    const res = await h.call('POST', '/agent/v1/claim', {
      key: s.keys.agent,
      body: { waitSeconds: 0 },
    })
    expect(res.statusCode).toBe(200)
    const d = res.json().deployment
    expect(d.credential.type).toBe('aws-oidc')
    expect(d.azure).toMatchObject({
      tenantId: TENANT,
      clientId: CLIENT,
      audience: `azure:${s.org.id}`,
    })
    expect(d.gcp).toMatchObject({
      poolId: 'keyless',
      stsEndpoint: 'https://sts.googleapis.com',
      iamCredentialsEndpoint: 'https://iamcredentials.googleapis.com',
    })
  })
})
