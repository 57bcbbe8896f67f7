import { describe, expect, it } from 'vitest'
import { evaluate } from './evaluate/evaluate.js'
import { explainLines } from './explain.js'
import { parsePolicy } from './parse/parse.js'
import { evaluateWebIdentityTrust } from './web-identity.js'

const PROVIDER = {
  arn: 'arn:aws:iam::111122223333:oidc-provider/token.example.com',
  url: 'token.example.com',
}
const text = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Deployments',
        Effect: 'Allow',
        Principal: { Federated: PROVIDER.arn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'token.example.com:aud': 'aws:o1' },
          StringLike: { 'token.example.com:sub': 'org:o1:project:p1:*' },
        },
      },
    ],
  },
  null,
  2,
)
const parsed = parsePolicy(text)
if (!parsed.ok) throw new Error(parsed.error.message)
const policy = parsed.policy

function trust(sub: string) {
  return evaluateWebIdentityTrust({
    trustPolicy: policy,
    roleArn: 'arn:aws:iam::111122223333:role/deploy',
    accountId: '111122223333',
    provider: PROVIDER,
    claims: { aud: 'aws:o1', sub, organizationId: 'o1' },
    roleSessionName: 'd1',
    sessionTags: [],
    transitiveTagKeys: [],
    requestTime: new Date('2026-11-25T12:00:00Z'),
  })
}

describe('explanations', () => {
  it('says which condition failed, in words a person can act on', () => {
    const r = trust('org:o1:project:p2:environment:e1')
    expect(r.decision).toBe('ImplicitlyDenied')
    expect(r.failing).toEqual([
      {
        statement: 'Deployments',
        operator: 'StringLike',
        key: 'token.example.com:sub',
        requestValues: ['org:o1:project:p2:environment:e1'],
        policyValues: ['org:o1:project:p1:*'],
        message:
          "the token's sub is `org:o1:project:p2:environment:e1`; the policy requires StringLike `org:o1:project:p1:*`",
      },
    ])
    expect(r.summary).toContain('is not allowed')
    const lines = explainLines(r)
    expect(lines[0]).toBe('decision: ImplicitlyDenied')
    expect(lines.some((l) => l.includes('not met: StringLike token.example.com:sub'))).toBe(true)
    expect(lines.some((l) => l.startsWith('  because the token'))).toBe(true)
  })
  it('names the allowing statement when allowed', () => {
    const r = trust('org:o1:project:p1:environment:e1')
    expect(r.decision).toBe('Allowed')
    expect(r.summary).toBe(
      'Allowed: the trust policy of arn:aws:iam::111122223333:role/deploy allows sts:AssumeRoleWithWebIdentity by Deployments.',
    )
    expect(r.context).not.toHaveProperty('token.example.com:organizationId')
  })
  it('explains plain evaluations line by line with positions', () => {
    const r = evaluate({ action: 'sts:AssumeRoleWithWebIdentity', context: {} }, [policy])
    const lines = explainLines(r)
    expect(lines[0]).toBe('sts:AssumeRoleWithWebIdentity: ImplicitlyDenied')
    expect(lines[1]).toContain('Deployments (Allow, line 4)')
    expect(lines[2]).toContain('request absent')
    expect(r.failing.map((f) => f.message)).toEqual([
      '`token.example.com:aud` is absent from the request; the policy requires StringEquals `aws:o1`',
      '`token.example.com:sub` is absent from the request; the policy requires StringLike `org:o1:project:p1:*`',
    ])
  })
  it('says when a claim can never be in the context', () => {
    const custom = parsePolicy(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Principal: { Federated: PROVIDER.arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'token.example.com:organizationId': 'o1',
              'other.example.com:sub': 'x',
            },
          },
        },
      }),
    )
    if (!custom.ok) throw new Error(custom.error.message)
    const r = evaluateWebIdentityTrust({
      trustPolicy: custom.policy,
      roleArn: 'arn:aws:iam::111122223333:role/deploy',
      accountId: '111122223333',
      provider: PROVIDER,
      claims: { aud: 'aws:o1', sub: 's', organizationId: 'o1' },
      roleSessionName: 'd1',
      sessionTags: [],
      transitiveTagKeys: [],
      requestTime: new Date('2026-11-25T12:00:00Z'),
    })
    expect(r.failing.map((f) => f.message)).toEqual([
      "the token's organizationId is absent from the request (AWS passes only the aud, sub, azp and amr claims of an OIDC token to trust policies); the policy requires StringEquals `o1`",
      '`other.example.com:sub` is absent from the request (the provider of this token is token.example.com, so its keys start with `token.example.com:`); the policy requires StringEquals `x`',
    ])
  })
  it('hints at set operators for multi-valued keys', () => {
    const p = parsePolicy(
      JSON.stringify({
        Statement: {
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:TagKeys': 'a' } },
        },
      }),
    )
    if (!p.ok) throw new Error(p.error.message)
    const r = evaluate({ action: 's3:GetObject', context: { 'aws:TagKeys': ['a', 'b'] } }, [
      p.policy,
    ])
    expect(r.failing[0]?.message).toBe(
      '`aws:TagKeys` is [`a`, `b`]; the policy requires StringEquals `a` (`aws:TagKeys` is multi-valued: use ForAnyValue: or ForAllValues:)',
    )
  })
})
