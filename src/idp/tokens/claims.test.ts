import { describe, expect, it } from 'vitest'
import { ValidationFailed } from '../../shared/errors.js'
import { DEFAULT_SUBJECT_TEMPLATE } from '../../shared/subject-template.js'
import type { TokenContext } from '../../shared/token-context.js'
import { buildClaims, TOKEN_CLAIMS } from './claims.js'

const context: TokenContext = {
  organizationId: 'org_1',
  organizationName: 'Acme',
  projectId: 'prj_1',
  projectName: 'Network',
  templateId: 'tpl_1',
  templateName: 'VPC',
  environmentId: 'env_1',
  environmentName: 'production',
  deploymentId: 'dep_1',
  deploymentType: 'deploy',
  deployerEmail: 'alice@example.com',
  audience: 'aws:org_1',
  subjectTemplate: DEFAULT_SUBJECT_TEMPLATE,
  sessionTags: true,
}
const base = {
  issuer: 'https://keyless.example.com/',
  issuedAt: 1_795_000_000,
  ttlSeconds: 600,
  jti: 'j-1',
}

describe('buildClaims (docs/architecture.md §3)', () => {
  it('writes exactly the claims of docs/architecture.md §3', () => {
    const { claims, omittedTags } = buildClaims({ ...base, context })
    expect(claims).toEqual({
      iss: 'https://keyless.example.com/',
      sub: 'org:org_1:project:prj_1:environment:env_1:type:deploy',
      aud: 'aws:org_1',
      iat: 1_795_000_000,
      nbf: 1_795_000_000,
      exp: 1_795_000_600,
      jti: 'j-1',
      organizationId: 'org_1',
      organizationName: 'Acme',
      projectId: 'prj_1',
      projectName: 'Network',
      templateId: 'tpl_1',
      templateName: 'VPC',
      environmentId: 'env_1',
      environmentName: 'production',
      deploymentId: 'dep_1',
      deploymentType: 'deploy',
      runPhase: 'apply',
      deployerEmail: 'alice@example.com',
      'https://aws.amazon.com/tags': {
        principal_tags: {
          organizationId: ['org_1'],
          projectId: ['prj_1'],
          templateId: ['tpl_1'],
          environmentId: ['env_1'],
          deploymentType: ['deploy'],
          runPhase: ['apply'],
          deployerEmail: ['alice@example.com'],
        },
      },
    })
    expect(omittedTags).toEqual([])
    expect(Object.keys(claims).every((k) => (TOKEN_CLAIMS as readonly string[]).includes(k))).toBe(
      true,
    )
  })

  it('adds userTag as a claim and as a session tag when set', () => {
    const { claims } = buildClaims({ ...base, context: { ...context, userTag: 'team:platform' } })
    expect(claims['userTag']).toBe('team:platform')
    expect(claims['https://aws.amazon.com/tags']).toMatchObject({
      principal_tags: { userTag: ['team:platform'] },
    })
  })

  it('leaves the tags claim out when the credential disables session tags', () => {
    const { claims, omittedTags } = buildClaims({
      ...base,
      context: { ...context, sessionTags: false },
    })
    expect(claims).not.toHaveProperty(['https://aws.amazon.com/tags'])
    expect(omittedTags).toEqual([])
  })

  it('leaves out and reports tags AWS would reject, keeping the claims themselves', () => {
    const { claims, omittedTags } = buildClaims({
      ...base,
      context: { ...context, deployerEmail: "o'neil@example.com", userTag: 'x'.repeat(300) },
    })
    expect(claims['deployerEmail']).toBe("o'neil@example.com")
    expect(claims['userTag']).toBe('x'.repeat(300))
    const tags = (claims['https://aws.amazon.com/tags'] as { principal_tags: object })
      .principal_tags
    expect(Object.keys(tags)).toEqual([
      'organizationId',
      'projectId',
      'templateId',
      'environmentId',
      'deploymentType',
      'runPhase',
    ])
    expect(omittedTags.map((t) => t.key)).toEqual(['deployerEmail', 'userTag'])
  })

  it.each([
    [DEFAULT_SUBJECT_TEMPLATE, 'org:org_1:project:prj_1:environment:env_1:type:deploy'],
    ['org:{organizationId}:{projectId}/{environmentId}', 'org:org_1:prj_1/env_1'],
    [
      'org:{organizationId}:deployment:{deploymentId}:{templateId}',
      'org:org_1:deployment:dep_1:tpl_1',
    ],
    ['org:{organizationId}:type:{deploymentType}:{deploymentType}', 'org:org_1:type:deploy:deploy'],
  ])('renders the subject template %s', (subjectTemplate, sub) => {
    expect(buildClaims({ ...base, context: { ...context, subjectTemplate } }).claims['sub']).toBe(
      sub,
    )
  })

  it('refuses an invalid subject template instead of minting a wrong subject', () => {
    expect(() =>
      buildClaims({ ...base, context: { ...context, subjectTemplate: 'org:{organizationName}' } }),
    ).toThrow(ValidationFailed)
  })

  it('keeps the issuer byte for byte', () => {
    for (const issuer of [
      'https://a.example.com',
      'https://a.example.com/',
      'http://127.0.0.1:8080/tenant',
    ])
      expect(buildClaims({ ...base, issuer, context }).claims['iss']).toBe(issuer)
  })
})
