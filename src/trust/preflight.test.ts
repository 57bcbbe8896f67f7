import { describe, expect, it } from 'vitest'
import { DEFAULT_SUBJECT_TEMPLATE } from '../shared/subject-template.js'
import type { ControlPlane, Listed } from './control-plane.js'
import { preflight } from './preflight.js'
import { planSetup } from './setup/trust-policy.js'

const NOW = new Date(Date.UTC(2026, 10, 25, 12, 0, 0))
const ORG = 'org_a1b2c3d4e5f6g7h8'
const ISS = 'https://keyless.example.com'
const claimsOf = (project: string, env: string): Record<string, unknown> => ({
  iss: ISS,
  aud: `aws:${ORG}`,
  sub: `org:${ORG}:project:${project}:environment:${env}:type:deploy`,
  iat: Math.floor(NOW.getTime() / 1000),
  exp: Math.floor(NOW.getTime() / 1000) + 600,
  organizationId: ORG,
  projectId: project,
  environmentId: env,
  deploymentType: 'deploy',
  'https://aws.amazon.com/tags': {
    principal_tags: { organizationId: [ORG], projectId: [project], environmentId: [env] },
  },
})

function fakes(world: Record<string, string[]>, policy: object, mintingStopped = false) {
  const cp: ControlPlane = {
    organizationOidc: () =>
      Promise.resolve({
        issuer: ISS,
        jwksUri: `${ISS}/.well-known/jwks.json`,
        audience: `aws:${ORG}`,
        subjectTemplate: DEFAULT_SUBJECT_TEMPLATE,
        exampleSubject: '',
        conditionKeyPrefix: 'keyless.example.com',
        sessionTags: true,
        mintingStopped,
      }),
    environmentPreview: (env) => {
      const project = Object.keys(world).find((p) => world[p]!.includes(env))!
      return Promise.resolve({
        claims: claimsOf(project, env),
        roleArn: 'arn:aws:iam::123456789012:role/deploy',
        roleSource: 'credential',
        durationSeconds: 3600,
      })
    },
    projects: () => Promise.resolve(Object.keys(world).map((id): Listed => ({ id }))),
    environments: (p) => Promise.resolve((world[p] ?? []).map((id): Listed => ({ id }))),
  }
  return {
    controlPlane: cp,
    readRole: () =>
      Promise.resolve({
        arn: 'arn:aws:iam::123456789012:role/deploy',
        roleName: 'deploy',
        accountId: '123456789012',
        trustPolicy: JSON.stringify(policy),
        maxSessionDuration: 3600,
      }),
    readProvider: () =>
      Promise.resolve({
        arn: 'arn:aws:iam::123456789012:oidc-provider/keyless.example.com',
        url: 'keyless.example.com',
        clientIds: [`aws:${ORG}`],
      }),
    now: NOW,
  }
}

const policyFor = (patch: object) =>
  planSetup({
    organizationId: ORG,
    issuer: ISS,
    audience: `aws:${ORG}`,
    sessionTags: true,
    roleName: 'deploy',
    accountId: '123456789012',
    ...patch,
  }).trustPolicy

describe('preflight', () => {
  const world = { prj_a: ['env_a1', 'env_a2'], prj_b: ['env_b1'] }

  it('passes for a role pinned to the environment', async () => {
    const r = await preflight(
      'env_a1',
      fakes(world, policyFor({ environments: [{ environmentId: 'env_a1', projectId: 'prj_a' }] })),
    )
    expect(r.explanation.decision).toBe('allowed')
    expect(r.negative.map((n) => [n.kind, n.environmentId, n.decision])).toEqual([
      ['sibling-environment', 'env_a2', 'denied'],
      ['other-project', 'env_b1', 'denied'],
    ])
    expect(r.ok).toBe(true)
    expect(r.pinningCondition).toBeNull()
  })

  it('passes a project-wide role as project-scoped, read from its own pinning', async () => {
    const r = await preflight('env_a1', fakes(world, policyFor({ projectIds: ['prj_a'] })))
    expect(r).toMatchObject({ scope: 'project', scopeSource: 'role', ok: true, tooBroad: false })
    expect(r.negative[0]).toMatchObject({ kind: 'sibling-environment', decision: 'allowed' })
    expect(r.lines.join('\n')).toContain('Scope: project (from the role')
  })

  it('with scope project, still fails an organization-wide role and pins it to the project', async () => {
    const r = await preflight('env_a1', fakes(world, policyFor({})), { scope: 'project' })
    expect(r.ok).toBe(false)
    expect(r.pinningCondition).toEqual({
      StringLike: { 'keyless.example.com:sub': `org:${ORG}:project:prj_a:environment:*:type:*` },
    })
  })

  it('fails while the organization has stopped minting', async () => {
    const policy = policyFor({ environments: [{ environmentId: 'env_a1', projectId: 'prj_a' }] })
    const r = await preflight('env_a1', fakes(world, policy, true))
    expect(r.explanation.decision).toBe('allowed')
    expect(r).toMatchObject({ mintingStopped: true, tooBroad: false, ok: false })
    expect(r.lines.at(-1)).toMatch(/stopped minting tokens/u)
  })

  it('reports a project-wide role as too broad with scope environment, and shows the pinning condition', async () => {
    const r = await preflight('env_a1', fakes(world, policyFor({ projectIds: ['prj_a'] })), {
      scope: 'environment',
    })
    expect(r.explanation.decision).toBe('allowed')
    expect(r.tooBroad).toBe(true)
    expect(r.negative[0]).toMatchObject({ kind: 'sibling-environment', decision: 'allowed' })
    expect(r.negative[1]).toMatchObject({ kind: 'other-project', decision: 'denied' })
    expect(r.pinningCondition).toEqual({
      StringLike: {
        'keyless.example.com:sub': `org:${ORG}:project:prj_a:environment:env_a1:type:*`,
      },
    })
    expect(r.lines.join('\n')).toContain('The role is too broad')
  })

  it('uses hypothetical siblings when the organization has none, and catches an org-wide role', async () => {
    const r = await preflight('env_a1', fakes({ prj_a: ['env_a1'] }, policyFor({})))
    expect(r.negative.every((n) => n.hypothetical && n.decision === 'allowed')).toBe(true)
    expect(r.ok).toBe(false)
  })

  it("fails when the environment's own deployment would be denied", async () => {
    const r = await preflight('env_a1', fakes(world, policyFor({ projectIds: ['prj_b'] })))
    expect(r.explanation.decision).toBe('denied')
    expect(r.ok).toBe(false)
    expect(r.lines.at(-1)).toContain('AccessDenied')
  })
})
