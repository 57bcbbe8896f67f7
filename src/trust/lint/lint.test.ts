import { describe, expect, it } from 'vitest'
import { lintTrustPolicy } from './lint.js'
import type { LintOptions } from './types.js'

const ORG = 'org_1a2b3c'
const H = 'login.example.com/'
const ARN = `arn:aws:iam::123456789012:oidc-provider/${H}`
const statement = (patch: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: 'Allow',
  Principal: { Federated: ARN },
  Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
  Condition: {
    StringEquals: { [`${H}:aud`]: `aws:${ORG}`, 'aws:RequestTag/organizationId': ORG },
    StringLike: { [`${H}:sub`]: `org:${ORG}:project:prj_4d5e6f:*` },
  },
  ...patch,
})
const lint = (statements: unknown, options: LintOptions = {}): string[] =>
  lintTrustPolicy(
    JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    options,
  ).findings.map((f) => f.ruleId)

describe('lintTrustPolicy edge cases', () => {
  it('accepts an issuer with a trailing slash when the keys keep it', () => {
    expect(lint([statement()], { issuer: `https://${H}` })).toEqual([])
  })

  it('a single statement object is read like an array of one', () => {
    expect(lint(statement())).toEqual([])
  })

  it('sts:TagSession may be allowed by a separate statement', () => {
    const web = statement({ Action: 'sts:AssumeRoleWithWebIdentity' })
    const tag = statement({ Action: 'sts:TagSession' })
    expect(lint([web, tag])).toEqual([])
    expect(lint([web])).toEqual(['L10'])
  })

  it('finds keys without the trailing slash of the issuer', () => {
    const s = statement({
      Condition: {
        StringEquals: { 'login.example.com:aud': `aws:${ORG}` },
        StringLike: { 'login.example.com:sub': `org:${ORG}:project:prj_4d5e6f:*` },
      },
    })
    const result = lintTrustPolicy(JSON.stringify({ Version: '2012-10-17', Statement: [s] }), {
      issuer: `https://${H}`,
    })
    expect(result.findings.map((f) => f.ruleId)).toEqual(['L08', 'L08'])
    expect(result.findings[0]?.message).toContain('lacks the trailing slash')
    expect(result.findings[0]?.key).toBe('login.example.com:aud')
  })

  it('checks every audience value, and names the one at fault', () => {
    const s = statement({
      Condition: {
        StringEquals: { [`${H}:aud`]: [`aws:${ORG}`, 'sts.amazonaws.com'] },
        StringLike: { [`${H}:sub`]: `org:${ORG}:project:prj_4d5e6f:*` },
      },
    })
    const result = lintTrustPolicy(JSON.stringify({ Version: '2012-10-17', Statement: [s] }))
    expect(result.findings.map((f) => f.ruleId)).toEqual(['L04'])
    expect(result.findings[0]?.message).toContain('"sts.amazonaws.com" is a shared audience')
  })

  it('a Federated list with our provider and another still counts as ours', () => {
    const s = statement({
      Principal: { Federated: [ARN, 'arn:aws:iam::123456789012:oidc-provider/other.example.com'] },
    })
    expect(lint([s], { issuer: `https://${H}` })).toEqual([])
  })

  it('summary counts severities', () => {
    const r = lintTrustPolicy(
      JSON.stringify({ Version: '2012-10-17', Statement: [statement({ Condition: undefined })] }),
      { duration: 7200 },
    )
    expect(r.findings.map((f) => f.ruleId)).toEqual(['L01', 'L04', 'L14'])
    expect(r.summary).toEqual({ errors: 2, warnings: 1, infos: 0 })
    expect(r.locations).toHaveLength(3)
  })
})
