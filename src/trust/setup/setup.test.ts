import { parse as parseHcl } from '@cdktf/hcl2json'
import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import { lintTrustPolicy } from '../lint/lint.js'
import { generateSetup } from './render.js'
import {
  planSetup,
  trustPolicyText,
  type SetupInput,
  type TrustPolicyDocument,
} from './trust-policy.js'

const ORG = 'org_a1b2c3d4e5f6g7h8'
const base: SetupInput = {
  organizationId: ORG,
  issuer: 'https://keyless.example.com',
  audience: `aws:${ORG}`,
  sessionTags: true,
  roleName: 'keyless-deploy',
  projectIds: ['prj_a1b2c3d4e5f6g7h8'],
}
const lintOptions = { issuer: base.issuer, audience: base.audience }

describe('setup: trust policy', () => {
  it('pins aud, sub and the organization tag, and allows web identity + TagSession', () => {
    const plan = planSetup({ ...base, accountId: '123456789012' })
    const st = plan.trustPolicy.Statement[0]!
    expect(st.Action).toEqual(['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'])
    expect(st.Principal.Federated).toBe(
      'arn:aws:iam::123456789012:oidc-provider/keyless.example.com',
    )
    expect(st.Condition).toEqual({
      StringEquals: {
        'keyless.example.com:aud': `aws:${ORG}`,
        'aws:RequestTag/organizationId': ORG,
      },
      StringLike: {
        'keyless.example.com:sub': `org:${ORG}:project:prj_a1b2c3d4e5f6g7h8:environment:*:type:*`,
      },
    })
  })

  it('uses StringEquals for one exact subject, and no tag pin when tags are off', () => {
    const plan = planSetup({
      ...base,
      projectIds: [],
      sessionTags: false,
      environments: [{ environmentId: 'env_1', projectId: 'prj_1' }],
      deploymentTypes: ['deploy'],
    })
    expect(plan.trustPolicy.Statement[0]!.Condition).toEqual({
      StringEquals: {
        'keyless.example.com:aud': `aws:${ORG}`,
        'keyless.example.com:sub': `org:${ORG}:project:prj_1:environment:env_1:type:deploy`,
      },
    })
  })

  it('accepts the old and the new subject on a template change (dual accept)', () => {
    const plan = planSetup({
      ...base,
      subjectTemplate: 'org:{organizationId}:v2:{projectId}:{environmentId}:{deploymentType}',
      previousSubjectTemplate:
        'org:{organizationId}:project:{projectId}:environment:{environmentId}:type:{deploymentType}',
    })
    expect(plan.subjects).toEqual([
      `org:${ORG}:v2:prj_a1b2c3d4e5f6g7h8:*:*`,
      `org:${ORG}:project:prj_a1b2c3d4e5f6g7h8:environment:*:type:*`,
    ])
    const result = lintTrustPolicy(trustPolicyText(plan), {
      ...lintOptions,
      subjectTemplate: 'org:{organizationId}:v2:{projectId}:{environmentId}:{deploymentType}',
    })
    expect(result.findings.map((f) => [f.ruleId, f.severity])).toEqual([['L18', 'info']])
  })

  it.each([
    ['one project', { projectIds: ['prj_a1b2c3d4e5f6g7h8'] }],
    [
      'two projects and an environment',
      {
        projectIds: ['prj_a1', 'prj_b2'],
        environments: [{ environmentId: 'env_c3', projectId: 'prj_d4' }],
      },
    ],
    [
      'an environment, deploy only',
      {
        projectIds: [],
        environments: [{ environmentId: 'env_c3', projectId: 'prj_d4' }],
        deploymentTypes: ['deploy' as const],
      },
    ],
    ['session tags off', { sessionTags: false }],
    ['a loopback issuer with a port', { issuer: 'http://127.0.0.1:8080' }],
    ['an issuer with a trailing slash', { issuer: 'https://keyless.example.com/tenant/' }],
  ])('every generated policy lints clean: %s', (_name, patch) => {
    const input = { ...base, ...patch }
    const plan = planSetup(input)
    const result = lintTrustPolicy(trustPolicyText(plan), {
      issuer: input.issuer,
      audience: input.audience,
      sessionTags: input.sessionTags,
    })
    expect(result.findings).toEqual([])
  })

  it('an organization-wide role has only the org-only warning (L12), no error', () => {
    const plan = planSetup({ ...base, projectIds: [] })
    const result = lintTrustPolicy(trustPolicyText(plan), lintOptions)
    expect(result.findings.map((f) => f.ruleId)).toEqual(['L12'])
  })

  it.each([
    [{ roleName: 'bad name!' }, /role name/u],
    [{ accountId: '12' }, /12 digits/u],
    [{ maxSessionDuration: 100 }, /3600 to 43200/u],
    [{ subjectTemplate: 'no placeholders' }, /placeholder/u],
  ])('refuses bad input %#', (patch, message) => {
    expect(() => planSetup({ ...base, ...patch })).toThrow(message)
  })
})

describe('setup: split phases', () => {
  const split = { ...base, splitPhases: true, accountId: '123456789012' }
  const conditionOf = (policy: TrustPolicyDocument): unknown => policy.Statement[0]!.Condition

  it.each([
    ['session tags: the runPhase tag', split, 'aws:RequestTag/runPhase', ['apply', 'plan']],
    [
      'tags off, {runPhase} in the subject: the subject',
      {
        ...split,
        sessionTags: false,
        subjectTemplate:
          'org:{organizationId}:project:{projectId}:environment:{environmentId}:{runPhase}',
      },
      'keyless.example.com:sub',
      [
        `org:${ORG}:project:prj_a1b2c3d4e5f6g7h8:environment:*:apply`,
        `org:${ORG}:project:prj_a1b2c3d4e5f6g7h8:environment:*:plan`,
      ],
    ],
  ])('gates each role on its phase through %s', (_name, input, key, [apply, plan]) => {
    const p = planSetup(input)
    expect(p.roleName).toBe('keyless-deploy')
    expect(p.planRole?.roleName).toBe('keyless-deploy-plan')
    expect(p.planRole?.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess'])
    expect(JSON.stringify(conditionOf(p.trustPolicy))).toContain(`"${key}":"${apply}"`)
    expect(JSON.stringify(conditionOf(p.planRole!.trustPolicy))).toContain(`"${key}":"${plan}"`)
    for (const role of [p, p.planRole!])
      expect(
        lintTrustPolicy(trustPolicyText(role), {
          ...lintOptions,
          sessionTags: input.sessionTags,
          ...(input.subjectTemplate === undefined
            ? {}
            : { subjectTemplate: input.subjectTemplate }),
        }).findings,
      ).toEqual([])
  })

  it.each([
    [{ sessionTags: false }, /session tags on, or a subject template with \{runPhase\}/u],
    [{ roleName: 'r'.repeat(60) }, /at most 59/u],
  ])('refuses what cannot be gated %#', (patch, message) => {
    expect(() => planSetup({ ...split, ...patch })).toThrow(message)
  })

  it('every format carries both roles and the ReadOnlyAccess attachment', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- hcl2json returns untyped JSON
    const tf = (await parseHcl('main.tf', generateSetup(split, 'terraform'))) as any
    expect(Object.keys(tf.resource.aws_iam_role)).toEqual(['keyless_deploy', 'keyless_deploy_plan'])
    expect(tf.resource.aws_iam_role_policy_attachment.keyless_deploy_plan_0[0]).toEqual({
      role: '${aws_iam_role.keyless_deploy_plan.name}',
      policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    })
    expect(tf.output.plan_role_arn[0].value).toBe('${aws_iam_role.keyless_deploy_plan.arn}')
    const cfn = parseYaml(generateSetup(split, 'cloudformation'))
    expect(cfn.Resources.KeylessPlanRole.Properties.ManagedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
    ])
    expect(cfn.Outputs.PlanRoleArn.Value).toEqual({ 'Fn::GetAtt': ['KeylessPlanRole', 'Arn'] })
    const json = JSON.parse(generateSetup(split, 'json'))
    expect(json.planRole.RoleName).toBe('keyless-deploy-plan')
    expect(json.planRole.AttachedPolicyArns).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess'])
    for (const doc of [json.role, json.planRole])
      expect(
        lintTrustPolicy(JSON.stringify(doc.AssumeRolePolicyDocument), lintOptions).findings,
      ).toEqual([])
    const cli = generateSetup(split, 'cli')
    expect(cli).toContain("aws iam create-role --role-name 'keyless-deploy-plan'")
    expect(cli).toContain(
      "aws iam attach-role-policy --role-name 'keyless-deploy-plan' --policy-arn 'arn:aws:iam::aws:policy/ReadOnlyAccess'",
    )
  })
})

describe('setup: output formats', () => {
  it('Terraform parses as HCL with the provider and a role using jsonencode', async () => {
    const text = generateSetup({ ...base, thumbprints: ['a'.repeat(40)] }, 'terraform')
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- hcl2json returns untyped JSON
    const parsed = (await parseHcl('main.tf', text)) as any
    const provider = parsed.resource.aws_iam_openid_connect_provider.keyless[0]
    expect(provider.url).toBe('https://keyless.example.com')
    expect(provider.client_id_list).toEqual([`aws:${ORG}`])
    expect(provider.thumbprint_list).toEqual(['a'.repeat(40)])
    const role = parsed.resource.aws_iam_role.keyless_deploy[0]
    expect(role.name).toBe('keyless-deploy')
    expect(role.max_session_duration).toBe(3600)
    expect(role.assume_role_policy).toMatch(/^\$\{jsonencode\(/u)
    expect(role.assume_role_policy).toContain('aws_iam_openid_connect_provider.keyless.arn')
    expect(role.assume_role_policy).toContain('"keyless.example.com:sub"')
    expect(parsed.output.role_arn[0].value).toBe('${aws_iam_role.keyless_deploy.arn}')
  })

  it('CloudFormation parses as YAML with AWS::IAM::OIDCProvider and AWS::IAM::Role', () => {
    const doc = parseYaml(generateSetup(base, 'cloudformation'))
    expect(doc.AWSTemplateFormatVersion).toBe('2010-09-09')
    const p = doc.Resources.KeylessOidcProvider
    expect(p.Type).toBe('AWS::IAM::OIDCProvider')
    expect(p.Properties).toEqual({
      Url: 'https://keyless.example.com',
      ClientIdList: [`aws:${ORG}`],
    })
    const r = doc.Resources.KeylessDeployRole
    expect(r.Type).toBe('AWS::IAM::Role')
    expect(r.Properties.RoleName).toBe('keyless-deploy')
    expect(r.Properties.MaxSessionDuration).toBe(3600)
    const st = r.Properties.AssumeRolePolicyDocument.Statement[0]
    expect(st.Principal.Federated).toEqual({ Ref: 'KeylessOidcProvider' })
    expect(st.Action).toEqual(['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'])
    expect(st.Condition.StringEquals['keyless.example.com:aud']).toBe(`aws:${ORG}`)
    expect(doc.Outputs.RoleArn.Value).toEqual({ 'Fn::GetAtt': ['KeylessDeployRole', 'Arn'] })
  })

  it('JSON carries the CreateOpenIDConnectProvider and CreateRole inputs (needs the account)', () => {
    expect(() => generateSetup(base, 'json')).toThrow(/--account-id/u)
    const doc = JSON.parse(generateSetup({ ...base, accountId: '123456789012' }, 'json'))
    expect(doc.openIdConnectProvider).toEqual({ Url: base.issuer, ClientIDList: [`aws:${ORG}`] })
    expect(doc.role.RoleName).toBe('keyless-deploy')
    expect(
      lintTrustPolicy(JSON.stringify(doc.role.AssumeRolePolicyDocument), lintOptions).findings,
    ).toEqual([])
  })

  it('CLI is a shell script for the AWS CLI', () => {
    const text = generateSetup(base, 'cli')
    expect(text).toMatch(/^#!\/bin\/sh\n/u)
    expect(text).toContain(
      "aws iam create-open-id-connect-provider --url 'https://keyless.example.com' --client-id-list 'aws:org_a1b2c3d4e5f6g7h8'",
    )
    expect(text).toContain('ACCOUNT_ID="${ACCOUNT_ID:-$(aws sts get-caller-identity')
    expect(text).toContain(
      '"Federated": "arn:aws:iam::${ACCOUNT_ID}:oidc-provider/keyless.example.com"',
    )
    expect(text).toContain(
      "aws iam create-role --role-name 'keyless-deploy' --max-session-duration 3600",
    )
    const known = generateSetup({ ...base, accountId: '123456789012' }, 'cli')
    expect(known).toContain("<<'JSON'")
    expect(known).not.toContain('get-caller-identity')
  })
})
