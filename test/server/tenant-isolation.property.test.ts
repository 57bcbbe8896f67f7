/**
 * Property: for any two organizations and any settings their admins may choose through the REST
 * API (audience, subject template, the user-tag variable at any scope, project and environment
 * names, session tags on or off), no token minted for one satisfies the `aud` + `sub` conditions
 * that `keyless setup aws` generates for the other — with the organization tag pin and without
 * it (docs/security.md "Organization admin"); and no organization's Azure token (an Azure
 * credential with the same hostile audience and subject template) matches a federated credential
 * made from another's. Each run also checks that a token passes its own organization's policy
 * and federated credential, so the property could fail.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSessionTags } from '../../src/federation/aws/session-tags.js'
import { evaluateWebIdentityTrust, parsePolicy, type Decision } from '../../src/policy/index.js'
import { ISSUER, seed, startHarness, type Harness } from './harness.js'

const ACCOUNT = '123456789012'
const PROVIDER_URL = ISSUER.replace(/^https?:\/\//u, '')
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${PROVIDER_URL}`

/** What an admin can see of the other organization (ids leak through logs, tickets, tokens). */
interface Other {
  readonly id: string
  readonly audience: string
  readonly projectId: string
  readonly environmentId: string
}

type Pick = (other: Other) => string

const audienceChoices: Pick[] = [
  (o) => `aws:${o.id}`,
  (o) => `AWS:${o.id}`,
  (o) => ` aws:${o.id} `,
  (o) => `aws:${o.id}x`,
  (o) => `azure:${o.id}`,
  (o) => o.audience,
  (o) => ` ${o.audience}`,
  (o) => o.id,
  (o) => `x:${o.id}`,
  () => 'sts.amazonaws.com',
  () => 'aws:org_',
  () => 'shared-audience',
]

const prefixChoices: Pick[] = [
  () => 'org:{organizationId}',
  () => 'org:{organizationId}',
  (o) => `org:${o.id}`,
  (o) => `org:${o.id}:{organizationId}`,
  () => '{organizationId}',
  () => 'org:{projectId}',
  () => '',
]

const pieceChoices: Pick[] = [
  () => ':',
  () => 'project:',
  () => 'environment:',
  () => ':type:',
  () => '{projectId}',
  () => '{environmentId}',
  () => '{deploymentType}',
  () => '{templateId}',
  () => '{deploymentId}',
  () => '{organizationId}',
  (o) => o.id,
  (o) => o.projectId,
  (o) => o.environmentId,
  () => 'org:',
  () => 'org_',
  () => 'ORG:',
  () => '/',
  () => 'x',
]

const valueChoices: Pick[] = [
  (o) => o.id,
  (o) => `org:${o.id}`,
  (o) => o.audience,
  (o) => `org:${o.id}:project:${o.projectId}:environment:${o.environmentId}:type:deploy`,
  () => 'plain tag',
]

const choice = (list: readonly Pick[]) => fc.integer({ min: 0, max: list.length - 1 })

const settingsArb = fc.record({
  audience: fc.option(choice(audienceChoices), { nil: undefined }),
  template: fc.option(
    fc.record({
      prefix: choice(prefixChoices),
      pieces: fc.array(choice(pieceChoices), { maxLength: 6 }),
    }),
    { nil: undefined },
  ),
  userTag: fc.option(
    fc.record({
      scope: fc.constantFrom('organizations', 'projects', 'environments'),
      value: choice(valueChoices),
      sensitive: fc.boolean(),
    }),
    { nil: undefined },
  ),
  projectName: fc.option(choice(valueChoices), { nil: undefined }),
  environmentName: fc.option(choice(valueChoices), { nil: undefined }),
  sessionTags: fc.boolean(),
  deploymentType: fc.constantFrom('deploy', 'destroy', 'plan', 'task'),
})
type Settings = typeof settingsArb extends fc.Arbitrary<infer T> ? T : never

type Seeded = Awaited<ReturnType<typeof seed>>

interface Tenant {
  readonly seeded: Seeded
  token: Record<string, unknown>
  /** The Azure token's claims (its own audience and subject), or null when minting was refused. */
  azure: Record<string, unknown> | null
  deploymentId: string
  trustPolicy: unknown
}

function otherOf(s: Seeded, audience: string): Other {
  return {
    id: s.org.id,
    audience,
    projectId: s.project.id,
    environmentId: s.environment.id,
  }
}

/** Applies an admin's choices through the REST API; refused choices leave things as they were. */
async function choose(h: Harness, self: Seeded, settings: Settings, other: Other): Promise<void> {
  const key = self.keys.admin
  const org: Record<string, string> = {}
  if (settings.audience !== undefined) org['audience'] = audienceChoices[settings.audience]!(other)
  if (settings.template !== undefined)
    org['subjectTemplate'] =
      prefixChoices[settings.template.prefix]!(other) +
      settings.template.pieces.map((p) => pieceChoices[p]!(other)).join('')
  for (const [name, value] of Object.entries(org)) {
    const res = await h.call('PATCH', `/api/v1/organizations/${self.org.id}`, {
      key,
      body: { [name]: value },
    })
    expect(res.statusCode, res.body).toBeLessThan(500)
  }
  if (settings.userTag !== undefined) {
    const scopeId = {
      organizations: self.org.id,
      projects: self.project.id,
      environments: self.environment.id,
    }[settings.userTag.scope]
    const res = await h.call(
      'PUT',
      `/api/v1/${settings.userTag.scope}/${scopeId}/variables/KEYLESS_OIDC_TAG`,
      {
        key,
        body: {
          value: valueChoices[settings.userTag.value]!(other),
          sensitive: settings.userTag.sensitive,
        },
      },
    )
    expect(res.statusCode, res.body).toBeLessThan(300)
  }
  const rename = async (url: string, pick: number | undefined): Promise<void> => {
    if (pick === undefined) return
    const res = await h.call('PATCH', url, { key, body: { name: valueChoices[pick]!(other) } })
    expect(res.statusCode, res.body).toBeLessThan(500)
  }
  await rename(`/api/v1/projects/${self.project.id}`, settings.projectName)
  await rename(`/api/v1/environments/${self.environment.id}`, settings.environmentName)
  const cred = await h.call('PATCH', `/api/v1/credentials/${self.credential.id}`, {
    key,
    body: { sessionTags: settings.sessionTags },
  })
  expect(cred.statusCode, cred.body).toBe(200)
  await chooseAzure(h, self, { ...org }, key)
}

/** An Azure credential with the same hostile audience and subject template, where accepted. */
async function chooseAzure(
  h: Harness,
  self: Seeded,
  hostile: Record<string, string>,
  key: string,
): Promise<void> {
  const base = {
    type: 'azure-oidc',
    name: 'azure',
    tenantId: '8a1f5c2e-0d4b-4c67-9e1a-3b5f7d9c2e10',
    clientId: '11111111-2222-4333-8444-555555555555',
    subscriptionId: '99999999-8888-4777-8666-555555555555',
  }
  let res = await h.call('POST', `/api/v1/organizations/${self.org.id}/credentials`, {
    key,
    body: { ...base, ...hostile },
  })
  expect(res.statusCode, res.body).toBeLessThan(500)
  if (res.statusCode !== 201)
    res = await h.call('POST', `/api/v1/organizations/${self.org.id}/credentials`, {
      key,
      body: base,
    })
  expect(res.statusCode, res.body).toBe(201)
  const assign = await h.call(
    'PUT',
    `/api/v1/projects/${self.project.id}/credentials/${res.json().id as string}`,
    { key },
  )
  expect(assign.statusCode, assign.body).toBe(204)
}

async function audienceOf(h: Harness, s: Seeded): Promise<string> {
  return (await h.call('GET', `/api/v1/organizations/${s.org.id}`, { key: s.keys.admin })).json()
    .audience as string
}

/** A deployment, its token (decoded), and the trust policy `setup aws` generates, by the org's admin. */
async function finish(h: Harness, t: Tenant, type: string): Promise<void> {
  const { seeded } = t
  const key = seeded.keys.admin
  const dep = await h.call('POST', `/api/v1/environments/${seeded.environment.id}/deployments`, {
    key,
    body: { type },
  })
  expect(dep.statusCode, dep.body).toBe(201)
  t.deploymentId = dep.json().id
  const mint = await h.call('POST', `/api/v1/deployments/${t.deploymentId}/oidc-token`, { key })
  expect(mint.statusCode, mint.body).toBe(200)
  t.token = claimsOf(mint.json().token as string)
  const azure = await h.call('POST', `/api/v1/deployments/${t.deploymentId}/oidc-token`, {
    key,
    body: { cloud: 'azure' },
  })
  expect(azure.statusCode, azure.body).toBeLessThan(500)
  t.azure = azure.statusCode === 200 ? claimsOf(azure.json().token as string) : null
  const setup = await h.call(
    'GET',
    `/api/v1/organizations/${seeded.org.id}/setup?format=json&accountId=${ACCOUNT}`,
    { key },
  )
  expect(setup.statusCode, setup.body).toBe(200)
  t.trustPolicy = setup.json().trustPolicy
}

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >
}

/**
 * Entra's decision for a federated credential made from an organization's own Azure token (its
 * issuer, audience and subject, what `setup azure` writes): all three exact.
 */
function entraAccepts(fic: Record<string, unknown>, token: Record<string, unknown>): boolean {
  return token['iss'] === fic['iss'] && token['aud'] === fic['aud'] && token['sub'] === fic['sub']
}

/** The same trust policy without the organization tag pin: `aud` + `sub` alone. */
function withoutTagPin(policy: unknown): unknown {
  const copy = structuredClone(policy) as {
    Statement: Array<{ Condition: Record<string, Record<string, unknown>> }>
  }
  for (const st of copy.Statement)
    for (const block of Object.values(st.Condition)) delete block['aws:RequestTag/organizationId']
  return copy
}

function decide(policy: unknown, token: Record<string, unknown>, session: string): Decision {
  const parsed = parsePolicy(JSON.stringify(policy))
  if (!parsed.ok) throw new Error(`trust policy does not parse: ${parsed.error.message}`)
  const tags = readSessionTags(token)
  return evaluateWebIdentityTrust({
    trustPolicy: parsed.policy,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/keyless-deployer`,
    accountId: ACCOUNT,
    provider: { arn: PROVIDER_ARN, url: PROVIDER_URL },
    claims: token,
    roleSessionName: session,
    sessionTags: tags.tags,
    transitiveTagKeys: tags.transitiveTagKeys,
    requestTime: new Date(),
  }).decision
}

/** The token without its session tags, as when the organization turns them off. */
function untagged(token: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...token }
  delete copy['https://aws.amazon.com/tags']
  return copy
}

describe('tenant isolation (property)', () => {
  let h: Harness
  let n = 0

  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(async () => {
    await h?.close()
  })

  it('no token of one organization passes the aud + sub conditions setup generates for another', async () => {
    await fc.assert(
      fc.asyncProperty(settingsArb, settingsArb, async (settingsA, settingsB) => {
        n += 1
        const a: Tenant = {
          seeded: await seed(h, `a${n}`),
          token: {},
          azure: null,
          deploymentId: '',
          trustPolicy: {},
        }
        const b: Tenant = {
          seeded: await seed(h, `b${n}`),
          token: {},
          azure: null,
          deploymentId: '',
          trustPolicy: {},
        }
        // A moves first, B knows A's settings (the attacker); then A may react to B.
        await choose(h, a.seeded, settingsA, otherOf(b.seeded, await audienceOf(h, b.seeded)))
        await choose(h, b.seeded, settingsB, otherOf(a.seeded, await audienceOf(h, a.seeded)))
        await finish(h, a, settingsA.deploymentType)
        await finish(h, b, settingsB.deploymentType)
        for (const [self, other] of [
          [a, b],
          [b, a],
        ] as const) {
          for (const policy of [self.trustPolicy, withoutTagPin(self.trustPolicy)]) {
            expect(decide(policy, self.token, self.deploymentId)).toBe('Allowed')
            for (const token of [other.token, untagged(other.token)])
              expect(
                decide(policy, token, other.deploymentId),
                `token of ${String(other.token['organizationId'])} (aud ${JSON.stringify(other.token['aud'])}, sub ${JSON.stringify(other.token['sub'])}) against ${JSON.stringify(policy)}`,
              ).not.toBe('Allowed')
          }
          // Azure: a federated credential made from self's token admits it and never other's.
          if (self.azure !== null) {
            expect(entraAccepts(self.azure, self.azure)).toBe(true)
            if (other.azure !== null)
              expect(
                entraAccepts(self.azure, other.azure),
                `Azure token of ${String(other.azure['organizationId'])} (aud ${JSON.stringify(other.azure['aud'])}, sub ${JSON.stringify(other.azure['sub'])})`,
              ).toBe(false)
          }
        }
      }),
      { numRuns: 60 },
    )
  })
})
