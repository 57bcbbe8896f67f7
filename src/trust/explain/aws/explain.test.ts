import { describe, expect, it } from 'vitest'
import { planSetup } from '../../setup/trust-policy.js'
import { explainWebIdentity } from './explain.js'

const NOW = new Date(Date.UTC(2026, 10, 25, 12, 0, 0))
const now = Math.floor(NOW.getTime() / 1000)
const ORG = 'org_a1b2c3d4e5f6g7h8'
const seg = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const claims = (patch: Record<string, unknown> = {}): Record<string, unknown> => ({
  iss: 'https://keyless.example.com',
  aud: `aws:${ORG}`,
  sub: `org:${ORG}:project:prj_1:environment:env_1:type:deploy`,
  iat: now - 60,
  exp: now + 540,
  deploymentId: 'dep_1',
  'https://aws.amazon.com/tags': {
    principal_tags: { organizationId: [ORG], projectId: ['prj_1'] },
    transitive_tag_keys: [],
  },
  ...patch,
})
const jwt = (c: Record<string, unknown>): string =>
  `${seg({ alg: 'RS256', kid: 'k1' })}.${seg(c)}.c2ln`
const policy = JSON.stringify(
  planSetup({
    organizationId: ORG,
    issuer: 'https://keyless.example.com',
    audience: `aws:${ORG}`,
    sessionTags: true,
    roleName: 'deploy',
    accountId: '123456789012',
    projectIds: ['prj_1'],
  }).trustPolicy,
)
const roleArn = 'arn:aws:iam::123456789012:role/deploy'

describe('explainWebIdentity', () => {
  it('allows the organization deployment and names the assumed-role ARN', () => {
    const e = explainWebIdentity({ token: jwt(claims()), trustPolicy: policy, roleArn, now: NOW })
    expect(e.decision).toBe('allowed')
    expect(e.assumedRoleArn).toBe('arn:aws:sts::123456789012:assumed-role/deploy/dep_1')
    expect(e.signatureChecked).toBe(false)
    expect(e.steps.find((s) => s.step === 'signature')?.status).toBe('skipped')
    expect(e.lines.join('\n')).toContain('signature NOT checked')
    expect(e.lines.at(-1)).toBe(
      'Result: allowed; STS returns credentials for arn:aws:sts::123456789012:assumed-role/deploy/dep_1',
    )
  })

  it("denies a sibling project's token with AccessDenied, showing token and policy values", () => {
    const e = explainWebIdentity({
      token: jwt(claims({ sub: `org:${ORG}:project:prj_2:environment:env_9:type:deploy` })),
      trustPolicy: policy,
      roleArn,
      now: NOW,
    })
    expect(e.decision).toBe('denied')
    expect(e.awsError).toEqual({
      code: 'AccessDenied',
      httpStatus: 403,
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    })
    const text = e.lines.join('\n')
    expect(text).toContain('prj_2')
    expect(text).toContain(`org:${ORG}:project:prj_1:environment:*:type:*`)
  })

  it('finds a missing sts:TagSession', () => {
    const noTag = policy.replace(',"sts:TagSession"', '')
    const e = explainWebIdentity({ token: jwt(claims()), trustPolicy: noTag, roleArn, now: NOW })
    expect(e.decision).toBe('denied')
    expect(e.trust?.deniedAction).toBe('sts:TagSession')
  })

  it('checks the audience against the provider client IDs when the provider is known', () => {
    const provider = {
      arn: 'arn:aws:iam::123456789012:oidc-provider/keyless.example.com',
      url: 'keyless.example.com',
      clientIds: ['aws:org_other'],
    }
    const e = explainWebIdentity({
      token: jwt(claims()),
      trustPolicy: policy,
      roleArn,
      provider,
      now: NOW,
    })
    expect(e.awsError?.message).toBe('Incorrect token audience')
    const none = explainWebIdentity({
      token: jwt(claims()),
      trustPolicy: policy,
      roleArn,
      provider: null,
      now: NOW,
    })
    expect(none.awsError?.message).toBe(
      'No OpenIDConnect provider found in your account for https://keyless.example.com',
    )
  })

  it('reports expiry and duration in AWS order', () => {
    const expired = explainWebIdentity({
      token: jwt(claims({ exp: now - 10 })),
      trustPolicy: policy,
      roleArn,
      now: NOW,
    })
    expect(expired.awsError?.code).toBe('ExpiredTokenException')
    const long = explainWebIdentity({
      token: jwt(claims()),
      trustPolicy: policy,
      roleArn,
      duration: 7200,
      maxSessionDuration: 3600,
      now: NOW,
    })
    expect(long.awsError).toEqual({
      code: 'ValidationError',
      httpStatus: 400,
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    })
    const noAud = explainWebIdentity({
      token: jwt(claims({ aud: undefined })),
      trustPolicy: policy,
      now: NOW,
    })
    expect(noAud.awsError?.message).toBe('Missing a required claim: aud')
  })
})
