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

  it('reads iss/aud/sub of an unreadable token as such', () => {
    expect(tokenFacts('garbage')).toEqual({
      iss: '(unreadable)',
      aud: '(unreadable)',
      sub: '(unreadable)',
    })
  })
})
