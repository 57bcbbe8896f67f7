import { describe, expect, it } from 'vitest'
import { checkFic, ficNameValid, MAX_FICS } from '../../../federation/azure/fic.js'
import { dropPlaceholders } from './fit.js'
import type { AzureSetupCredential, AzureSetupInput, AzureSetupScope } from './model.js'
import { planAzureSetup } from './plan.js'

const ORG = 'org_a1b2c3d4e5f6g7h8'
const ISSUER = 'https://keyless.example.com'
const APP = '11111111-2222-4333-8444-555555555555'
const PLAN_APP = '66666666-7777-4888-9999-aaaaaaaaaaaa'
const env = (n: number, extra: Partial<AzureSetupScope> = {}): AzureSetupScope => ({
  projectId: 'prj_one',
  environmentId: `env_${n}`,
  templateId: 'tpl_tf',
  templateType: 'terraform',
  ...extra,
})
const envs = (count: number, extra: Partial<AzureSetupScope> = {}): AzureSetupScope[] =>
  Array.from({ length: count }, (_, i) => env(i + 1, extra))
const credential = (patch: Partial<AzureSetupCredential> = {}): AzureSetupCredential => ({
  credentialId: 'crd_azure',
  name: 'azure',
  clientId: APP,
  audience: `azure:${ORG}`,
  scopes: [env(1)],
  ...patch,
})
const input = (
  credentials: AzureSetupCredential[],
  patch: Partial<AzureSetupInput> = {},
): AzureSetupInput => ({ organizationId: ORG, issuer: ISSUER, credentials, ...patch })
const subjectsOf = (i: AzureSetupInput): Record<string, string[]> =>
  Object.fromEntries(
    planAzureSetup(i).applications.map((a) => [a.clientId, a.fics.map((f) => f.subject)]),
  )
const base = `org:${ORG}:project:prj_one`

describe('planAzureSetup: subjects per application', () => {
  const cases: ReadonlyArray<[string, AzureSetupInput, Record<string, string[]>]> = [
    [
      'the Azure default: one per environment',
      input([credential({ scopes: envs(2) })]),
      { [APP]: [`${base}:environment:env_1`, `${base}:environment:env_2`] },
    ],
    [
      'a planClientId gets its own (same subject, its own application)',
      input([credential({ planClientId: PLAN_APP })]),
      { [APP]: [`${base}:environment:env_1`], [PLAN_APP]: [`${base}:environment:env_1`] },
    ],
    [
      '{runPhase} with a planClientId: the plan application only the plan subject',
      input([
        credential({
          planClientId: PLAN_APP,
          subjectTemplate: 'org:{organizationId}:project:{projectId}:phase:{runPhase}',
        }),
      ]),
      {
        [APP]: [`${base}:phase:apply`, `${base}:phase:task`],
        [PLAN_APP]: [`${base}:phase:plan`],
      },
    ],
    [
      '{deploymentType} and {runPhase} on a Terraform template: six subjects',
      input([
        credential({
          subjectTemplate:
            'org:{organizationId}:project:{projectId}:environment:{environmentId}:type:{deploymentType}:phase:{runPhase}',
        }),
      ]),
      {
        [APP]: [
          'deploy:phase:plan',
          'deploy:phase:apply',
          'destroy:phase:plan',
          'destroy:phase:apply',
          'plan:phase:plan',
          'task:phase:task',
        ].map((s) => `${base}:environment:env_1:type:${s}`),
      },
    ],
    [
      'a custom template has no plan phase in a deploy',
      input([
        credential({
          scopes: [env(1, { templateType: 'custom' })],
          subjectTemplate: 'org:{organizationId}:project:{projectId}:phase:{runPhase}',
        }),
      ]),
      { [APP]: [`${base}:phase:apply`, `${base}:phase:plan`, `${base}:phase:task`] },
    ],
    [
      '--deployment-type narrows the types',
      input(
        [
          credential({
            subjectTemplate:
              'org:{organizationId}:project:{projectId}:environment:{environmentId}:type:{deploymentType}',
          }),
        ],
        { deploymentTypes: ['deploy'] },
      ),
      { [APP]: [`${base}:environment:env_1:type:deploy`] },
    ],
    [
      'a per-project template: one for all environments',
      input([
        credential({
          scopes: envs(3),
          subjectTemplate: 'org:{organizationId}:project:{projectId}',
        }),
      ]),
      { [APP]: [base] },
    ],
    [
      'two credentials on one application: their subjects together',
      input([
        credential(),
        credential({
          credentialId: 'crd_two',
          name: 'two',
          scopes: [env(2, { projectId: 'prj_two' })],
        }),
      ]),
      {
        [APP]: [`${base}:environment:env_1`, `org:${ORG}:project:prj_two:environment:env_2`],
      },
    ],
    [
      'client ids are compared in lower case',
      input([credential({ clientId: APP.toUpperCase() })]),
      { [APP]: [`${base}:environment:env_1`] },
    ],
  ]
  it.each(cases)('%s', (_name, i, expected) => {
    expect(subjectsOf(i)).toEqual(expected)
  })

  it('every FIC is one Entra accepts: valid name, issuer exactly, the credential audience', () => {
    const plan = planAzureSetup(input([credential({ scopes: envs(20), planClientId: PLAN_APP })]))
    for (const app of plan.applications) {
      expect(new Set(app.fics.map((f) => f.name)).size).toBe(app.fics.length)
      for (const fic of app.fics) {
        expect(ficNameValid(fic.name)).toBe(true)
        expect(fic.issuer).toBe(ISSUER)
        expect(fic.audiences).toEqual([`azure:${ORG}`])
        const checked = checkFic(
          { ...fic, audiences: [...fic.audiences] },
          { flexible: false, flexibleIssuers: [] },
        )
        expect('kind' in checked ? checked : 'ok').toBe('ok')
      }
    }
    expect(plan.overLimit).toEqual([])
  })

  it('names: readable, and a digest for a long or shared one', () => {
    const long = credential({
      scopes: [env(1, { environmentId: `env_${'x'.repeat(130)}` })],
    })
    const [fic] = planAzureSetup(input([long])).applications[0]?.fics ?? []
    expect(fic?.name.length).toBeLessThanOrEqual(120)
    expect(fic?.name).toMatch(/^keyless-project-prj_one-environment-env_x+-[0-9a-f]{8}$/u)
    const plain = planAzureSetup(input([credential()])).applications[0]?.fics[0]
    expect(plain?.name).toBe('keyless-project-prj_one-environment-env_1')
    const shared = planAzureSetup(
      input([
        credential({
          subjectTemplate: 'org:{organizationId}:{projectId}.{environmentId}',
          scopes: [
            env(1, { projectId: 'a', environmentId: 'b-c' }),
            env(2, { projectId: 'a-b', environmentId: 'c' }),
          ],
        }),
      ]),
    ).applications[0]?.fics.map((f) => f.name)
    expect(shared).toHaveLength(2)
    expect(new Set(shared).size).toBe(2)
    for (const n of shared ?? []) expect(n).toMatch(/^keyless-a-b-c-[0-9a-f]{8}$/u)
  })

  it('describes what each FIC admits', () => {
    const fic = planAzureSetup(input([credential()])).applications[0]?.fics[0]
    expect(fic?.description).toBe(
      'keyless: environment env_1 (project prj_one); deploy, destroy, plan, task deployments; run phase plan, apply, task',
    )
  })
})

describe('planAzureSetup: refusals', () => {
  const cases: ReadonlyArray<[string, AzureSetupInput, RegExp]> = [
    [
      'a template with {deploymentId}',
      input([credential({ subjectTemplate: 'org:{organizationId}:deployment:{deploymentId}' })]),
      /has \{deploymentId\}: every deployment has its own subject/u,
    ],
    [
      'an invalid template',
      input([credential({ subjectTemplate: 'project:{projectId}' })]),
      /must start with org:\{organizationId\}/u,
    ],
    [
      'a client id that is not a GUID',
      input([credential({ clientId: 'deployer' })]),
      /client id "deployer" is not a GUID/u,
    ],
    [
      'an issuer with whitespace',
      input([credential()], { issuer: ` ${ISSUER}` }),
      /is not a URL: Entra compares it with the token's iss exactly/u,
    ],
    [
      'one subject, two audiences on one application',
      input([credential(), credential({ credentialId: 'crd_b', name: 'b', audience: 'other' })]),
      /needs subject .* with audience other, another credential the same subject with audience azure:/u,
    ],
    [
      'environments unknown offline while the template needs them',
      input([credential({ scopes: [{ projectId: 'prj_one' }] })]),
      /has \{environmentId\}, but the environments of project prj_one are not known/u,
    ],
    [
      'a managed identity without its resource id',
      input([credential()], { target: 'managed-identity' }),
      /missing for 11111111-2222-4333-8444-555555555555/u,
    ],
    [
      'a managed identity with a resource id that is not one',
      input([credential()], {
        target: 'managed-identity',
        identities: { [APP]: '/subscriptions/x' },
      }),
      /is not the resource id of a user-assigned managed identity/u,
    ],
  ]
  it.each(cases)('%s', (_name, i, message) => {
    expect(() => planAzureSetup(i)).toThrow(message)
  })
})

describe('planAzureSetup: Entra’s 20 per application', () => {
  const typed =
    'org:{organizationId}:project:{projectId}:environment:{environmentId}:type:{deploymentType}'
  const cases: ReadonlyArray<[string, AzureSetupCredential, number, string | null]> = [
    ['20 environments fit exactly', credential({ scopes: envs(MAX_FICS) }), 0, null],
    [
      '{deploymentType} × 6 environments: drop {deploymentType}',
      credential({ scopes: envs(6), subjectTemplate: typed }),
      24,
      `org:{organizationId}:project:{projectId}:environment:{environmentId}`,
    ],
    [
      '{deploymentType} and {runPhase} × 3 environments: drop {runPhase} still 12, fits',
      credential({ scopes: envs(3), subjectTemplate: `${typed}:phase:{runPhase}` }),
      18,
      null,
    ],
    [
      '{deploymentType} and {runPhase} × 4 environments: drop {runPhase} (16)',
      credential({ scopes: envs(4), subjectTemplate: `${typed}:phase:{runPhase}` }),
      24,
      typed,
    ],
    [
      '21 environments: one per project',
      credential({ scopes: envs(21) }),
      21,
      'org:{organizationId}:project:{projectId}',
    ],
  ]
  it.each(cases)('%s', (_name, c, needed, suggested) => {
    const plan = planAzureSetup(input([c]))
    if (needed <= MAX_FICS) {
      expect(plan.overLimit).toEqual([])
      return
    }
    expect(plan.overLimit).toHaveLength(1)
    const [over] = plan.overLimit
    expect(over?.needed).toBe(needed)
    expect(over?.suggestedTemplate).toBe(suggested)
    expect(over?.message).toContain(`needs ${needed} federated identity credentials`)
    expect(over?.message).toContain('Entra allows at most 20 per application')
    expect(over?.message).toContain(
      `PATCH /api/v1/credentials/crd_azure {"subjectTemplate": "${suggested}"}`,
    )
    const fixed = planAzureSetup(input([{ ...c, subjectTemplate: suggested }]))
    expect(fixed.overLimit).toEqual([])
    expect(fixed.applications[0]?.fics.length).toBe(over?.suggestedCount)
  })

  it('21 environments in 21 projects: nothing fits, split the applications', () => {
    const scopes = Array.from({ length: 21 }, (_, i) => env(i, { projectId: `prj_${i}` }))
    const [over] = planAzureSetup(input([credential({ scopes })])).overLimit
    expect(over?.suggestedTemplate).toBeNull()
    expect(over?.message).toMatch(
      /needs 21 .* No subject template fits: give the environments several applications/u,
    )
  })

  it('the plan application is counted on its own', () => {
    const plan = planAzureSetup(
      input([
        credential({
          planClientId: PLAN_APP,
          scopes: envs(12),
          subjectTemplate:
            'org:{organizationId}:project:{projectId}:environment:{environmentId}:phase:{runPhase}',
        }),
      ]),
    )
    // apply + task for the application (24), plan for the plan application (12).
    expect(plan.applications.map((a) => [a.clientId, a.fics.length])).toEqual([
      [APP, 24],
      [PLAN_APP, 12],
    ])
    expect(plan.overLimit.map((o) => o.clientId)).toEqual([APP])
  })
})

describe('dropPlaceholders', () => {
  it.each([
    [
      `org:{organizationId}:project:{projectId}:type:{deploymentType}`,
      ['deploymentType'],
      'org:{organizationId}:project:{projectId}',
    ],
    [
      `org:{organizationId}:{projectId}:{runPhase}`,
      ['runPhase'],
      'org:{organizationId}:{projectId}',
    ],
    [
      `org:{organizationId}:env-{environmentId}-{runPhase}`,
      ['runPhase'],
      'org:{organizationId}:env-{environmentId}-',
    ],
    [
      `org:{organizationId}:{deploymentType}-{runPhase}:{projectId}`,
      ['runPhase', 'deploymentType'],
      'org:{organizationId}:{projectId}',
    ],
  ])('%s without %j', (template, names, expected) => {
    expect(dropPlaceholders(template, names)).toBe(expected)
  })
})
