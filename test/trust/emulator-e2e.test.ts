/**
 * End to end on the keyless AWS emulator: `setup aws --apply` creates the provider and the role,
 * the role accepts the organization's deployment and rejects a sibling project's (through the
 * real STS client), and lint/explain read the live role through IAM.
 */
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildEmulator, type Emulator } from '../../src/emulator/index.js'
import { systemClock } from '../../src/shared/clock.js'
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js'
import { runTrustCli } from './cli-harness.js'

const ORG = 'org_e2etrust00000001'
const PROJECT = 'prj_e2etrust00000001'
const SIBLING = 'prj_e2etrust00000002'
const ACCOUNT = '123456789012'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/keyless-e2e`

let issuer: TestIssuer
let emulator: Emulator
let endpoint = ''

const claimsFor = (project: string, env: string): Record<string, unknown> => ({
  sub: `org:${ORG}:project:${project}:environment:${env}:type:deploy`,
  organizationId: ORG,
  projectId: project,
  environmentId: env,
  deploymentId: 'dep_e2e',
  'https://aws.amazon.com/tags': {
    principal_tags: { organizationId: [ORG], projectId: [project], environmentId: [env] },
    transitive_tag_keys: ['organizationId'],
  },
})

async function assume(token: string, roleArn = ROLE): Promise<string> {
  const sts = new STSClient({ region: 'us-east-1', endpoint, maxAttempts: 1 })
  try {
    const out = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: 'dep_e2e',
        WebIdentityToken: token,
      }),
    )
    return out.AssumedRoleUser?.Arn ?? ''
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`
  } finally {
    sts.destroy()
  }
}

beforeAll(async () => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test')
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test')
  vi.stubEnv('AWS_REGION', 'us-east-1')
  issuer = await startTestIssuer({ audience: `aws:${ORG}` })
  emulator = await buildEmulator(
    { accountId: ACCOUNT, accessKeyId: 'test', secretAccessKey: 'test' },
    { clock: systemClock },
  )
  await emulator.listen({ port: 0, host: '127.0.0.1' })
  const address = emulator.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  endpoint = `http://127.0.0.1:${address.port}`
})

afterAll(async () => {
  await emulator.close()
  await issuer.close()
  vi.unstubAllEnvs()
})

describe('setup → deploy on the emulator', () => {
  it('setup aws --apply creates the provider and a role that lints clean', async () => {
    const r = await runTrustCli([
      'setup',
      'aws',
      '--organization',
      ORG,
      '--project',
      PROJECT,
      '--role-name',
      'keyless-e2e',
      '--issuer',
      issuer.url,
      '--apply',
      '--endpoint-url',
      endpoint,
    ])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      `created OIDC provider arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}`,
    )
    expect(r.stdout).toContain(`role ARN: ${ROLE}`)
    expect(r.stdout).toContain(
      `next: keyless preflight --environment <id> --endpoint-url ${endpoint}`,
    )

    const lint = await runTrustCli([
      'lint',
      '--role-arn',
      ROLE,
      '--endpoint-url',
      endpoint,
      '--issuer',
      issuer.url,
      '--audience',
      `aws:${ORG}`,
      '--format',
      'json',
    ])
    expect(lint.code).toBe(0)
    expect(JSON.parse(lint.stdout).findings).toEqual([])

    // Applying again is idempotent: the provider and the role are brought up to date.
    const again = await runTrustCli([
      'setup',
      'aws',
      '--organization',
      ORG,
      '--project',
      PROJECT,
      '--role-name',
      'keyless-e2e',
      '--issuer',
      issuer.url,
      '--apply',
      '--endpoint-url',
      endpoint,
    ])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('exists')
  })

  it('setup aws --apply for one environment names it in the preflight to run next', async () => {
    const env = 'env_e2etrust00000001'
    const r = await runTrustCli([
      ...['setup', 'aws', '--organization', ORG, '--project', PROJECT, '--environment', env],
      ...['--role-name', 'keyless-e2e-env', '--issuer', issuer.url],
      ...['--apply', '--endpoint-url', endpoint],
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(
      `next: keyless preflight --environment ${env} --endpoint-url ${endpoint}\n`,
    )
  })

  it("accepts the organization's deployment and rejects a sibling project's", async () => {
    const ours = await issuer.mint(claimsFor(PROJECT, 'env_e2etrust00000001'))
    expect(await assume(ours)).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/keyless-e2e/dep_e2e`)
    const sibling = await issuer.mint(claimsFor(SIBLING, 'env_e2etrust00000009'))
    expect(await assume(sibling)).toBe(
      'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    )
  })

  it('explain --role-arn --endpoint-url agrees with the emulator', async () => {
    const ours = await issuer.mint(claimsFor(PROJECT, 'env_e2etrust00000001'))
    const ok = await runTrustCli([
      'explain',
      '--token',
      ours,
      '--role-arn',
      ROLE,
      '--endpoint-url',
      endpoint,
    ])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain(
      `OK      provider       arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}`,
    )
    expect(ok.stdout).toContain(`aud "aws:${ORG}" is one of the provider's client IDs`)
    expect(ok.stdout).toContain(`assumed-role/keyless-e2e/dep_e2e`)

    const sibling = await issuer.mint(claimsFor(SIBLING, 'env_e2etrust00000009'))
    const denied = await runTrustCli([
      'explain',
      '--token',
      sibling,
      '--role-arn',
      ROLE,
      '--endpoint-url',
      endpoint,
      '--format',
      'json',
    ])
    expect(denied.code).toBe(1)
    const e = JSON.parse(denied.stdout)
    expect(e.awsError).toEqual({
      code: 'AccessDenied',
      httpStatus: 403,
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    })
    expect(JSON.stringify(e.trust.failing)).toContain(SIBLING)

    const wrongAud = await issuer.mint({
      ...claimsFor(PROJECT, 'env_e2etrust00000001'),
      aud: 'sts.amazonaws.com',
    })
    const aud = await runTrustCli([
      'explain',
      '--token',
      wrongAud,
      '--role-arn',
      ROLE,
      '--endpoint-url',
      endpoint,
    ])
    expect(aud.stdout).toContain(
      'STS answers InvalidIdentityToken (HTTP 400): Incorrect token audience',
    )
    expect(await assume(wrongAud)).toBe('InvalidIdentityTokenException: Incorrect token audience')
  })

  it('a missing role is a clear error', async () => {
    const r = await runTrustCli([
      'lint',
      '--role-arn',
      `arn:aws:iam::${ACCOUNT}:role/nope`,
      '--endpoint-url',
      endpoint,
    ])
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(/^keyless: GetRole nope: The role with name nope cannot be found/u)
  })
})

const phaseClaims = (runPhase: string): Record<string, unknown> => {
  const claims = claimsFor(PROJECT, 'env_e2etrust00000001')
  return {
    ...claims,
    runPhase,
    'https://aws.amazon.com/tags': {
      principal_tags: { organizationId: [ORG], projectId: [PROJECT], runPhase: [runPhase] },
      transitive_tag_keys: ['organizationId'],
    },
  }
}

describe('setup aws --split-phases on the emulator', () => {
  const PHASES = `arn:aws:iam::${ACCOUNT}:role/keyless-phases`
  const PLAN = `arn:aws:iam::${ACCOUNT}:role/keyless-phases-plan`

  it('creates a plan role and an apply role, both lint clean', async () => {
    const r = await runTrustCli([
      'setup',
      'aws',
      '--organization',
      ORG,
      '--project',
      PROJECT,
      '--role-name',
      'keyless-phases',
      '--split-phases',
      '--issuer',
      issuer.url,
      '--apply',
      '--endpoint-url',
      endpoint,
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`role ARN: ${PHASES}`)
    expect(r.stdout).toContain(`plan role ARN: ${PLAN}`)
    // The emulator models no managed policies: the ReadOnlyAccess attachment is reported.
    expect(r.stdout).toContain('not attached: arn:aws:iam::aws:policy/ReadOnlyAccess')
    expect(r.stdout).toContain(`set the credential's planRoleArn to ${PLAN}`)
    for (const role of [PHASES, PLAN]) {
      const lint = await runTrustCli([
        'lint',
        '--role-arn',
        role,
        '--endpoint-url',
        endpoint,
        '--issuer',
        issuer.url,
        '--audience',
        `aws:${ORG}`,
        '--format',
        'json',
      ])
      expect(lint.code).toBe(0)
      expect(JSON.parse(lint.stdout).findings).toEqual([])
    }
  })

  const denied = 'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity'
  it.each([
    ['plan', 'plan role', 'keyless-phases-plan', true],
    ['plan', 'apply role', 'keyless-phases', false],
    ['apply', 'apply role', 'keyless-phases', true],
    ['apply', 'plan role', 'keyless-phases-plan', false],
  ])('a %s-phase token against the %s: allowed %s', async (phase, _label, role, allowed) => {
    const token = await issuer.mint(phaseClaims(phase))
    const out = await assume(token, `arn:aws:iam::${ACCOUNT}:role/${role}`)
    expect(out).toBe(allowed ? `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/dep_e2e` : denied)
  })
})
