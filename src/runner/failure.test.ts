import { describe, expect, it } from 'vitest'
import { describeExchangeFailure, tokenFacts } from './failure.js'

const token = `e30.${Buffer.from(
  JSON.stringify({
    iss: 'http://127.0.0.1:8080',
    aud: 'aws:org_1',
    sub: 'org:org_1:project:prj_1:environment:env_1:type:deploy',
  }),
).toString('base64url')}.sig`

const base = {
  roleArn: 'arn:aws:iam::123456789012:role/deployer',
  roleSource: 'credential' as const,
  durationSeconds: 7200,
  endpoint: 'http://127.0.0.1:4566',
  token,
  sessionTags: true,
}

describe('describeExchangeFailure', () => {
  it.each([
    [
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      /^The requested DurationSeconds \(7200\) exceeds the MaxSessionDuration set for the role deployer\./,
    ],
    ['InvalidIdentityToken', 'Incorrect token audience', /audience "aws:org_1" is not a client ID/],
    [
      'InvalidIdentityToken',
      'No OpenIDConnect provider found in your account for http://127.0.0.1:8080',
      /no IAM OIDC provider for the issuer http:\/\/127\.0\.0\.1:8080/,
    ],
    [
      'AccessDenied',
      'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      /trust policy of deployer does not accept this token.*127\.0\.0\.1:8080:sub = "org:org_1:project:prj_1.*sts:TagSession/,
    ],
    ['ExpiredTokenException', 'Token expired: …', /token had expired/],
  ])('%s: %s', (awsCode, awsMessage, headline) => {
    const d = describeExchangeFailure({ ...base, awsCode, awsMessage })
    expect(d.code).toBe(awsCode)
    const lines = d.message.split('\n')
    expect(lines[0]).toMatch(headline)
    expect(d.message).toContain(`AWS said:  ${awsCode}: ${awsMessage}`)
    expect(d.message).toContain(
      'role:      arn:aws:iam::123456789012:role/deployer (from credential)',
    )
    expect(d.message).toContain('duration:  7200 s asked')
    expect(d.message).toContain(
      'token:     iss=http://127.0.0.1:8080 aud=aws:org_1 sub=org:org_1:project:prj_1:environment:env_1:type:deploy',
    )
    expect(d.message).not.toContain(token)
  })

  it('appends the emulator explanation', () => {
    const d = describeExchangeFailure({
      ...base,
      awsCode: 'AccessDenied',
      awsMessage: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      emulatorExplanation: ['statement 1: StringEquals 127.0.0.1:8080:sub did not match'],
    })
    expect(d.message).toMatch(/the keyless emulator explains:\n {4}statement 1: StringEquals/)
    const withReason = describeExchangeFailure({
      ...base,
      awsCode: 'AccessDenied',
      awsMessage: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      emulatorExplanation: [
        "Denied: the token's sub is `a`; the policy requires StringEquals `b`.",
      ],
    })
    expect(withReason.message).toMatch(
      /^The trust policy of deployer does not accept this token: the token's sub is `a`; the policy requires StringEquals `b`\. It must/u,
    )
    expect(d.explanation).toEqual(['statement 1: StringEquals 127.0.0.1:8080:sub did not match'])
  })

  it('prints the trust policy conditions as a table with the differing part marked', () => {
    const explanation = [
      'trust policy of arn:aws:iam::123456789012:role/deployer: Denied',
      'sts:AssumeRoleWithWebIdentity: ImplicitlyDenied',
      '  Statement[0] (Allow, line 1): principal matched, action matched, resource not checked, conditions not met → does not apply',
      '    met:     StringEquals 127.0.0.1:8080:aud: request `aws:org_1`; policy `aws:org_1` (line 1)',
      '    not met: StringEquals 127.0.0.1:8080:sub: request `org:org_1:project:prj_0mx5`; policy `org:org_1:project:prj_wrongproject` (line 1)',
      '→ AccessDenied: ImplicitlyDenied for sts:AssumeRoleWithWebIdentity',
    ]
    const d = describeExchangeFailure({
      ...base,
      awsCode: 'AccessDenied',
      awsMessage: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      emulatorExplanation: explanation,
    })
    const block = d.message.split('the keyless emulator explains:\n')[1]?.split('\n') ?? []
    expect(block[0]).toMatch(
      /^ {7}STATEMENT +CONDITION KEY +OPERATOR +TOKEN'S VALUE +POLICY'S VALUE\(S\)$/u,
    )
    expect(block[1]).toMatch(
      /^ {4}✓ +Statement\[0\] +127\.0\.0\.1:8080:aud +StringEquals +aws:org_1 +aws:org_1$/u,
    )
    expect(block[2]).toMatch(
      /^ {4}✗ .*org:org_1:project:prj_«0mx5» +org:org_1:project:prj_«wrongproject»$/u,
    )
    expect(block[3]).toBe('    → AccessDenied: ImplicitlyDenied for sts:AssumeRoleWithWebIdentity')
    expect(block).toHaveLength(4)
    expect(d.message.split('\n')[0]).toBe(
      "The trust policy of deployer does not accept this token: a condition is not met (StringEquals 127.0.0.1:8080:sub); the table below shows the token's value beside the policy's, the difference «marked». This credential sends session tags, so the trust policy must also allow sts:TagSession. Compare with what keyless setup aws generates, or ask keyless explain.",
    )
    expect(d.explanation).toEqual(explanation)
  })

  it.each([
    [
      'role-not-found',
      /^The role deployer does not exist in the account 123456789012 \(NoSuchEntity\): create it/u,
    ],
    ['trust-policy-denied', /^The trust policy of deployer does not accept this token\. It must/u],
  ])('names the emulator reason %s in the headline', (emulatorReason, headline) => {
    const d = describeExchangeFailure({
      ...base,
      awsCode: 'AccessDenied',
      awsMessage: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      emulatorExplanation: ['step role: failed'],
      emulatorReason,
    })
    expect(d.message.split('\n')[0]).toMatch(headline)
  })

  it('says a missing role is possible when only AWS answered', () => {
    const d = describeExchangeFailure({
      ...base,
      awsCode: 'AccessDenied',
      awsMessage: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    })
    expect(d.message.split('\n')[0]).toMatch(/or the role does not exist/u)
  })

  it('reads iss/aud/sub of an unreadable token as such', () => {
    expect(tokenFacts('garbage')).toEqual({
      iss: '(unreadable)',
      aud: '(unreadable)',
      sub: '(unreadable)',
    })
  })
})
