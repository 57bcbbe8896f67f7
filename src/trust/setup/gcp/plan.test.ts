import { describe, expect, it } from 'vitest'
import { applyCondition, applyMapping } from '../../../federation/gcp/mapping.js'
import { checkProvider } from '../../../federation/gcp/provider.js'
import type { AzureSetupScope } from '../azure/model.js'
import type { GcpSetupCredential, GcpSetupInput } from './model.js'
import { planGcpSetup } from './plan.js'
import { providerBody, renderGcpSetup } from './render.js'

const ORG = 'org_a1b2c3d4e5f6g7h8'
const ISSUER = 'https://keyless.example.com'
const SA = 'deployer@my-proj.iam.gserviceaccount.com'
const PLAN_SA = 'planner@my-proj.iam.gserviceaccount.com'
const DEFAULT =
  'org:{organizationId}:project:{projectId}:environment:{environmentId}:type:{deploymentType}'
const env = (n: number): AzureSetupScope => ({
  projectId: 'prj_one',
  environmentId: `env_${n}`,
  templateId: 'tpl_tf',
  templateType: 'terraform',
})
const credential = (patch: Partial<GcpSetupCredential> = {}): GcpSetupCredential => ({
  credentialId: 'crd_gcp',
  name: 'gcp',
  projectNumber: '123456789012',
  gcpProjectId: 'my-proj',
  poolId: 'keyless-pool',
  providerId: 'keyless',
  serviceAccountEmail: SA,
  audience: `gcp:${ORG}`,
  subjectTemplate: DEFAULT,
  scopes: [env(1), env(2)],
  ...patch,
})
const input = (c: GcpSetupCredential[], patch: Partial<GcpSetupInput> = {}): GcpSetupInput => ({
  organizationId: ORG,
  issuer: ISSUER,
  credentials: c,
  ...patch,
})
const set = (attr: string, value: string) =>
  `principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/keyless-pool/attribute.${attr}/${value}`

describe('planGcpSetup: bindings', () => {
  const cases: ReadonlyArray<[string, GcpSetupInput, Array<[string, string]>]> = [
    ['the organization principal set', input([credential()]), [[SA, set('organization', ORG)]]],
    [
      'per environment: one member per environment',
      input([credential()], { perEnvironment: true }),
      [
        [SA, set('environment', 'env_1')],
        [SA, set('environment', 'env_2')],
      ],
    ],
    [
      'no service account (direct resource access): nothing to bind',
      input([credential({ serviceAccountEmail: null })]),
      [],
    ],
    [
      'a planServiceAccountEmail is bound too',
      input([credential({ planServiceAccountEmail: PLAN_SA })]),
      [
        [SA, set('organization', ORG)],
        [PLAN_SA, set('organization', ORG)],
      ],
    ],
    [
      'offline project scopes per environment: the project attribute',
      input([credential({ scopes: [{ projectId: 'prj_one' }] })], { perEnvironment: true }),
      [[SA, set('project', 'prj_one')]],
    ],
  ]
  it.each(cases)('%s', (_name, i, expected) => {
    const plan = planGcpSetup(i)
    expect(plan.bindings.map((b) => [b.serviceAccountEmail, b.member])).toEqual(expected)
    expect(plan.bindings.every((b) => b.role === 'roles/iam.workloadIdentityUser')).toBe(true)
    expect(plan.tooLong).toEqual([])
  })
})

describe('planGcpSetup: the provider', () => {
  const plan = planGcpSetup(input([credential(), credential({ credentialId: 'crd_two' })]))
  const [provider] = plan.providers

  it('one pool and one provider for credentials that share them', () => {
    expect(plan.pools.map((p) => p.name)).toEqual([
      'projects/123456789012/locations/global/workloadIdentityPools/keyless-pool',
    ])
    expect(plan.providers).toHaveLength(1)
  })

  it('is a provider Google accepts, mapping the claims and pinning the organization', () => {
    const checked = checkProvider(providerBody(provider ?? expect.fail('no provider')))
    if (!checked.ok) expect.fail(checked.problem)
    expect(checked.provider.issuerUri).toBe(ISSUER)
    expect(checked.provider.allowedAudiences).toEqual([`gcp:${ORG}`])
    const claims = (organizationId: string) => ({
      sub: `org:${organizationId}:project:prj_one`,
      organizationId,
      projectId: 'prj_one',
      environmentId: 'env_1',
    })
    const verdict = (organizationId: string) => {
      const mapped = applyMapping(checked.provider.mapping, claims(organizationId))
      if (!mapped.ok) return expect.fail('mapping failed')
      expect(mapped.identity.attributes).toEqual({
        organization: organizationId,
        project: 'prj_one',
        environment: 'env_1',
      })
      return applyCondition(checked.provider.condition, claims(organizationId), mapped.identity).ok
    }
    expect(verdict(ORG)).toBe(true)
    expect(verdict('org_other')).toBe(false)
  })
})

describe('planGcpSetup: subjects over 127 bytes', () => {
  const long = 'p'.repeat(40)
  const cases: ReadonlyArray<[string, GcpSetupCredential, string | null]> = [
    [
      '{deploymentId} pushes it over: drop it',
      credential({
        subjectTemplate: `${DEFAULT}:deployment:{deploymentId}`,
        scopes: [{ ...env(1), projectId: `prj_${long}` }],
      }),
      DEFAULT,
    ],
    [
      'long ids under the default: one per project fits',
      credential({
        scopes: [{ ...env(1), projectId: `prj_${long}`, environmentId: `env_${long}` }],
      }),
      'org:{organizationId}:project:{projectId}',
    ],
    [
      'nothing fits',
      credential({ scopes: [{ ...env(1), projectId: `prj_${'p'.repeat(120)}` }] }),
      null,
    ],
  ]
  it.each(cases)('%s', (_name, c, suggested) => {
    const plan = planGcpSetup(input([c]))
    expect(plan.tooLong.map((t) => t.suggestedTemplate)).toEqual([suggested])
    const [t] = plan.tooLong
    expect(t?.bytes).toBeGreaterThan(127)
    expect(t?.message).toContain('127 bytes')
    expect(() => renderGcpSetup(plan, 'terraform')).toThrow(/127 bytes/u)
  })
})

describe('planGcpSetup: bad input', () => {
  const cases: ReadonlyArray<[string, GcpSetupInput, RegExp]> = [
    ['issuer not a URL', input([credential()], { issuer: 'keyless' }), /not a URL/u],
    ['project id for a number', input([credential({ projectNumber: 'my-proj' })]), /not a number/u],
    ['a reserved pool id', input([credential({ poolId: 'gcp-pool' })]), /pool id/u],
    [
      'not an email',
      input([credential({ serviceAccountEmail: 'me@x.com' })]),
      /not a service account/u,
    ],
    ['a bad template', input([credential({ subjectTemplate: 'sub:{nope}' })]), /subject template/u],
  ]
  it.each(cases)('%s', (_name, i, message) => {
    expect(() => planGcpSetup(i)).toThrow(message)
  })
})
