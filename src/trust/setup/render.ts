/** The four output formats of `keyless setup aws`: Terraform, CloudFormation, JSON, AWS CLI. */
import { KeylessError } from '../../shared/errors.js'
import { alignAssignments } from './hcl-align.js'
import { hclString, sh, tfName } from './quote.js'
import {
  ACCOUNT_PLACEHOLDER,
  planSetup,
  type PhaseRole,
  type SetupInput,
  type SetupPlan,
} from './trust-policy.js'

export type SetupFormat = 'terraform' | 'cloudformation' | 'json' | 'cli'
export const SETUP_FORMATS: readonly SetupFormat[] = ['terraform', 'cloudformation', 'json', 'cli']

type Json = string | number | boolean | null | readonly Json[] | { readonly [k: string]: Json }

function hcl(value: Json, indent: string, raw?: ReadonlyMap<string, string>): string {
  if (typeof value === 'string') return raw?.get(value) ?? hclString(value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null)
    return JSON.stringify(value)
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string'))
      return `[${value.map((v) => hcl(v as Json, inner, raw)).join(', ')}]`
    return `[\n${value.map((v) => `${inner}${hcl(v as Json, inner, raw)},`).join('\n')}\n${indent}]`
  }
  const entries = Object.entries(value as Record<string, Json>)
  const key = (k: string): string => (/^[A-Za-z_][A-Za-z0-9_-]*$/u.test(k) ? k : hclString(k))
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)} = ${hcl(v, inner, raw)}`).join('\n')}\n${indent}}`
}

function terraformRole(
  plan: SetupPlan,
  role: Pick<PhaseRole, 'roleName' | 'trustPolicy'>,
): string[] {
  const raw = new Map([[plan.providerArn, 'aws_iam_openid_connect_provider.keyless.arn']])
  return [
    `resource "aws_iam_role" "${tfName(role.roleName)}" {`,
    `  name = ${hclString(role.roleName)}`,
    `  max_session_duration = ${plan.maxSessionDuration}`,
    `  assume_role_policy = jsonencode(${hcl(role.trustPolicy as unknown as Json, '  ', raw)})`,
    '}',
    '',
  ]
}

function terraformPlanRole(plan: SetupPlan, role: PhaseRole): string[] {
  const name = tfName(role.roleName)
  return [
    ...terraformRole(plan, role),
    ...role.managedPolicyArns.flatMap((arn, i) => [
      `resource "aws_iam_role_policy_attachment" "${name}_${i}" {`,
      `  role = aws_iam_role.${name}.name`,
      `  policy_arn = ${hclString(arn)}`,
      '}',
      '',
    ]),
    "# Set the credential's planRoleArn to this role.",
    'output "plan_role_arn" {',
    `  value = aws_iam_role.${name}.arn`,
    '}',
    '',
  ]
}

function terraform(plan: SetupPlan): string {
  const lines = [
    `# keyless setup aws: OIDC provider and deployment role for organization ${plan.organizationId}.`,
    `# Deployments present tokens from ${plan.issuer} with aud ${plan.clientIds.join(', ')}.`,
    ...(plan.planRole === undefined
      ? []
      : [
          `# The role ${plan.roleName} admits apply phases only; ${plan.planRole.roleName} plan phases.`,
        ]),
    '',
    'resource "aws_iam_openid_connect_provider" "keyless" {',
    `  url = ${hclString(plan.issuer)}`,
    `  client_id_list = ${hcl(plan.clientIds, '  ')}`,
    ...(plan.thumbprints.length > 0 ? [`  thumbprint_list = ${hcl(plan.thumbprints, '  ')}`] : []),
    '}',
    '',
    ...terraformRole(plan, plan),
    'output "role_arn" {',
    `  value = aws_iam_role.${tfName(plan.roleName)}.arn`,
    '}',
    '',
    ...(plan.planRole === undefined ? [] : terraformPlanRole(plan, plan.planRole)),
  ]
  return alignAssignments(lines.join('\n'))
}

/** YAML for plain data: block style, every string double-quoted (always valid YAML). */
function yaml(value: Json, indent: string): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null)
    return JSON.stringify(value)
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return value
      .map((v) => {
        const item = yaml(v as Json, `${indent}  `)
        return `\n${indent}- ${typeof v === 'object' && v !== null && !Array.isArray(v) ? item.trimStart() : item}`
      })
      .join('')
  }
  const entries = Object.entries(value as Record<string, Json>)
  if (entries.length === 0) return '{}'
  return entries
    .map(([k, v]) => {
      const key = /^[A-Za-z_][A-Za-z0-9_]*$/u.test(k) ? k : JSON.stringify(k)
      const rendered = yaml(v, `${indent}  `)
      const block =
        typeof v === 'object' &&
        v !== null &&
        (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0)
      return `\n${indent}${key}:${block ? '' : ' '}${rendered}`
    })
    .join('')
}

function cfnPolicy(role: Pick<PhaseRole, 'trustPolicy'>): Json {
  const policy = JSON.parse(JSON.stringify(role.trustPolicy)) as {
    Statement: Array<{ Principal: { Federated: Json } }>
  }
  for (const s of policy.Statement) s.Principal.Federated = { Ref: 'KeylessOidcProvider' }
  return policy
}

function cfnPlanRole(plan: SetupPlan): { resources: Json; outputs: Json } {
  const role = plan.planRole
  if (role === undefined) return { resources: {}, outputs: {} }
  return {
    resources: {
      KeylessPlanRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: role.roleName,
          MaxSessionDuration: plan.maxSessionDuration,
          ManagedPolicyArns: [...role.managedPolicyArns],
          AssumeRolePolicyDocument: cfnPolicy(role),
        },
      },
    },
    outputs: { PlanRoleArn: { Value: { 'Fn::GetAtt': ['KeylessPlanRole', 'Arn'] } } },
  }
}

function cloudformation(plan: SetupPlan): string {
  const planRole = cfnPlanRole(plan)
  const template: Json = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `keyless: OIDC provider and deployment role for organization ${plan.organizationId}`,
    Resources: {
      KeylessOidcProvider: {
        Type: 'AWS::IAM::OIDCProvider',
        Properties: {
          Url: plan.issuer,
          ClientIdList: [...plan.clientIds],
          ...(plan.thumbprints.length > 0 ? { ThumbprintList: [...plan.thumbprints] } : {}),
        },
      },
      KeylessDeployRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: plan.roleName,
          MaxSessionDuration: plan.maxSessionDuration,
          AssumeRolePolicyDocument: cfnPolicy(plan),
        },
      },
      ...(planRole.resources as Record<string, Json>),
    },
    Outputs: {
      RoleArn: { Value: { 'Fn::GetAtt': ['KeylessDeployRole', 'Arn'] } },
      ProviderArn: { Value: { Ref: 'KeylessOidcProvider' } },
      ...(planRole.outputs as Record<string, Json>),
    },
  }
  return `# keyless setup aws --format cloudformation${yaml(template, '')}\n`
}

function json(plan: SetupPlan): string {
  if (plan.providerArn.includes(ACCOUNT_PLACEHOLDER))
    throw new KeylessError(
      'usage_error',
      '--format json needs --account-id (the provider ARN is in the trust policy)',
    )
  return `${JSON.stringify(
    {
      openIdConnectProvider: {
        Url: plan.issuer,
        ClientIDList: plan.clientIds,
        ...(plan.thumbprints.length > 0 ? { ThumbprintList: plan.thumbprints } : {}),
      },
      role: {
        RoleName: plan.roleName,
        MaxSessionDuration: plan.maxSessionDuration,
        AssumeRolePolicyDocument: plan.trustPolicy,
      },
      ...(plan.planRole === undefined
        ? {}
        : {
            planRole: {
              RoleName: plan.planRole.roleName,
              MaxSessionDuration: plan.maxSessionDuration,
              AssumeRolePolicyDocument: plan.planRole.trustPolicy,
              AttachedPolicyArns: plan.planRole.managedPolicyArns,
            },
            planRoleSubjects: plan.planRole.subjects,
          }),
      providerArn: plan.providerArn,
      subjects: plan.subjects,
    },
    null,
    2,
  )}\n`
}

function cliRole(
  plan: SetupPlan,
  role: Pick<PhaseRole, 'roleName' | 'trustPolicy' | 'managedPolicyArns'>,
  file: string,
): string[] {
  const policy = JSON.stringify(role.trustPolicy, null, 2)
  const needsAccount = plan.providerArn.includes(ACCOUNT_PLACEHOLDER)
  return [
    needsAccount ? `cat > ${file} <<JSON` : `cat > ${file} <<'JSON'`,
    needsAccount
      ? policy.replace(/[\\`]/gu, '\\$&').replace(/\$(?!\{ACCOUNT_ID\})/gu, '\\$')
      : policy,
    'JSON',
    `aws iam create-role --role-name ${sh(role.roleName)} --max-session-duration ${plan.maxSessionDuration} --assume-role-policy-document file://${file}`,
    ...role.managedPolicyArns.map(
      (arn) =>
        `aws iam attach-role-policy --role-name ${sh(role.roleName)} --policy-arn ${sh(arn)}`,
    ),
  ]
}

function cli(plan: SetupPlan): string {
  const needsAccount = plan.providerArn.includes(ACCOUNT_PLACEHOLDER)
  const lines = [
    '#!/bin/sh',
    `# keyless setup aws: OIDC provider and deployment role for organization ${plan.organizationId}.`,
    '# Runs with the AWS CLI and the credentials it finds (add --endpoint-url for the keyless emulator).',
    'set -eu',
    ...(needsAccount
      ? ['ACCOUNT_ID="${ACCOUNT_ID:-$(aws sts get-caller-identity --query Account --output text)}"']
      : []),
    `aws iam create-open-id-connect-provider --url ${sh(plan.issuer)} --client-id-list ${plan.clientIds.map(sh).join(' ')}${plan.thumbprints.length > 0 ? ` --thumbprint-list ${plan.thumbprints.join(' ')}` : ''}`,
    ...cliRole(plan, { ...plan, managedPolicyArns: [] }, 'keyless-trust-policy.json'),
    ...(plan.planRole === undefined
      ? []
      : [
          "# The plan role (read-only): set the credential's planRoleArn to it.",
          ...cliRole(plan, plan.planRole, 'keyless-plan-trust-policy.json'),
        ]),
    '',
  ]
  return lines.join('\n')
}

/** Renders the AWS side for an organization in one of the four formats. */
export function generateSetup(input: SetupInput, format: SetupFormat): string {
  const plan = planSetup(input)
  switch (format) {
    case 'terraform':
      return terraform(plan)
    case 'cloudformation':
      return cloudformation(plan)
    case 'json':
      return json(plan)
    case 'cli':
      return cli(plan)
  }
}
