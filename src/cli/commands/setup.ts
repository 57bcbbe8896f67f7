import type { Command } from 'commander'
import { clientOptions, type ConfigOf } from '../../shared/config/index.js'
import { DEPLOYMENT_TYPES, type DeploymentType } from '../../shared/contracts/common.js'
import { KeylessError } from '../../shared/errors.js'
import { issuerSlashNote } from '../issuer-slash-note.js'
import { addOptions, type ParsedFlags } from '../options.js'
import { registerAzure } from './setup-azure.js'
import { registerGcp } from './setup-gcp.js'
import {
  choiceOption,
  applySetup,
  callerAccount,
  controlPlane,
  generateSetup,
  intOption,
  lintText,
  lintTrustPolicy,
  planSetup,
  processIo,
  SETUP_FORMATS,
  trustPolicyText,
  type CommandIo,
  type SetupEnvironment,
  type SetupFormat,
  type SetupInput,
  type SetupPlan,
} from '../../trust/index.js'

interface SetupFlags {
  readonly organization: string
  readonly project?: string[]
  readonly environment?: string[]
  readonly roleName: string
  readonly accountId?: string
  readonly format: string
  readonly deploymentType?: string[]
  readonly maxSessionDuration?: string
  readonly previousSubjectTemplate?: string
  readonly thumbprint?: string[]
  readonly apply?: boolean
  readonly endpointUrl?: string
  readonly issuer?: string
  readonly audience?: string
  readonly subjectTemplate?: string
  readonly sessionTags: boolean
  readonly splitPhases?: boolean
}

const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
]

/** Reads what setup needs from the control plane (or from --issuer/--audience, offline). */
async function setupInput(
  raw: SetupFlags,
  client: () => ConfigOf<typeof clientOptions>,
): Promise<SetupInput> {
  const flags = {
    ...raw,
    project: raw.project ?? [],
    environment: raw.environment ?? [],
    deploymentType: raw.deploymentType ?? [],
    thumbprint: raw.thumbprint ?? [],
  }
  const types = flags.deploymentType.map((t) => {
    if (!(DEPLOYMENT_TYPES as readonly string[]).includes(t))
      throw new KeylessError(
        'usage_error',
        `--deployment-type must be one of ${DEPLOYMENT_TYPES.join(', ')} (got ${JSON.stringify(t)})`,
      )
    return t as DeploymentType
  })
  const maxSessionDuration = intOption(
    flags.maxSessionDuration,
    '--max-session-duration',
    3600,
    43200,
  )
  const common = {
    organizationId: flags.organization,
    roleName: flags.roleName,
    projectIds: flags.project,
    deploymentTypes: types,
    thumbprints: flags.thumbprint,
    ...(flags.splitPhases === true ? { splitPhases: true } : {}),
    ...(flags.accountId === undefined ? {} : { accountId: flags.accountId }),
    ...(maxSessionDuration === undefined ? {} : { maxSessionDuration }),
  }
  if (flags.issuer !== undefined) {
    // Offline: everything from the flags; environments without their project get `*`.
    return {
      ...common,
      issuer: flags.issuer,
      audience: flags.audience ?? `aws:${flags.organization}`,
      sessionTags: flags.sessionTags,
      environments: flags.environment.map((environmentId) => ({ environmentId })),
      ...(flags.subjectTemplate === undefined ? {} : { subjectTemplate: flags.subjectTemplate }),
      ...(flags.previousSubjectTemplate === undefined
        ? {}
        : { previousSubjectTemplate: flags.previousSubjectTemplate }),
    }
  }
  const config = client()
  if (config.apiKey === undefined)
    throw new KeylessError(
      'usage_error',
      'setup needs an API key (--api-key or KEYLESS_API_KEY), or --issuer to work offline',
    )
  const cp = controlPlane({ server: config.server, apiKey: config.apiKey })
  const oidc = await cp.organizationOidc(flags.organization)
  if (flags.project.length > 0) {
    const known = new Set((await cp.projects(flags.organization)).map((p) => p.id))
    for (const p of flags.project)
      if (!known.has(p))
        throw new KeylessError(
          'not_found',
          `project ${p} is not in organization ${flags.organization}`,
        )
  }
  const environments: SetupEnvironment[] = []
  for (const environmentId of flags.environment) {
    const preview = await cp.environmentPreview(environmentId)
    if (preview.claims['organizationId'] !== flags.organization)
      throw new KeylessError(
        'not_found',
        `environment ${environmentId} is not in organization ${flags.organization}`,
      )
    const projectId = preview.claims['projectId']
    environments.push({ environmentId, ...(typeof projectId === 'string' ? { projectId } : {}) })
  }
  const previous = flags.previousSubjectTemplate ?? oidc.previousSubjectTemplate ?? undefined
  return {
    ...common,
    issuer: oidc.issuer,
    audience: flags.audience ?? oidc.audience,
    conditionKeyPrefix: oidc.conditionKeyPrefix,
    subjectTemplate: flags.subjectTemplate ?? oidc.subjectTemplate,
    ...(previous === undefined ? {} : { previousSubjectTemplate: previous }),
    sessionTags: flags.sessionTags && oidc.sessionTags,
    environments,
  }
}

/** Lints every generated trust policy (both roles with --split-phases); findings to stderr. */
function lintGenerated(plan: SetupPlan, input: SetupInput, io: CommandIo): void {
  const options = {
    issuer: input.issuer,
    audience: input.audience,
    sessionTags: input.sessionTags,
    ...(input.subjectTemplate === undefined ? {} : { subjectTemplate: input.subjectTemplate }),
  }
  const roles = [plan, ...(plan.planRole === undefined ? [] : [plan.planRole])]
  for (const role of roles) {
    const lint = lintTrustPolicy(trustPolicyText(role, input.accountId), options)
    if (lint.findings.length > 0)
      io.stderr.write(lintText(lint, `generated trust policy of ${role.roleName}`))
  }
  if (plan.planRole !== undefined)
    io.stderr.write(
      `set the credential's planRoleArn to the role ${plan.planRole.roleName} and roleArn to ${plan.roleName}\n`,
    )
}

/**
 * `keyless setup aws`: the IAM OIDC provider and a pinned role, as code or applied through IAM;
 * `keyless setup azure` (setup-azure.ts): Entra's federated identity credentials.
 */
export function register(program: Command, io: CommandIo = processIo): void {
  const setup = program.command('setup').description('Generate or create the cloud side of keyless')
  registerAzure(setup, io)
  registerGcp(setup, io)
  const aws = setup
    .command('aws')
    .description(
      "The IAM OIDC provider (URL = the issuer, client ID = the organization's audience) and a role whose trust policy pins aud, sub and the organization tag; as Terraform, CloudFormation, JSON or AWS CLI, or created with --apply",
    )
    .requiredOption('--organization <id>', 'organization id')
    .option('--project <id>', 'admit deployments of this project (repeatable)', collect)
    .option('--environment <id>', 'admit deployments of this environment (repeatable)', collect)
    .requiredOption('--role-name <name>', 'IAM role name')
    .option(
      '--account-id <id>',
      'AWS account id (default: the account of the admin credentials on --apply)',
    )
    .option('--format <format>', 'terraform, cloudformation, json or cli', 'terraform')
    .option(
      '--deployment-type <type>',
      'admit only this deployment type (repeatable; default all)',
      collect,
      [],
    )
    .option('--max-session-duration <seconds>', "the role's MaxSessionDuration (3600–43200)")
    .option(
      '--previous-subject-template <template>',
      'also accept subjects of this older template (dual accept)',
    )
    .option(
      '--thumbprint <hex>',
      'thumbprint for the provider (repeatable; AWS ignores it for public CAs)',
      collect,
      [],
    )
    .option(
      '--split-phases',
      'two roles: <role-name>-plan (read-only, plan phases only) and <role-name> (apply phases only), gated on the runPhase session tag',
    )
    .option('--apply', 'create the provider and the role through the IAM API')
    .option(
      '--endpoint-url <url>',
      'IAM endpoint for --apply, e.g. the keyless emulator http://127.0.0.1:4566',
    )
    .option('--issuer <url>', 'offline: the issuer URL instead of asking the control plane')
    .option('--audience <aud>', 'offline: the audience (default aws:<organization>)')
    .option(
      '--subject-template <template>',
      'offline: the subject template (default the ID-based one)',
    )
    .option('--no-session-tags', 'offline: tokens carry no session tags')
  const client = addOptions(aws, clientOptions)
  aws.action(async (flags: SetupFlags & ParsedFlags) => {
    choiceOption(flags.format, '--format', SETUP_FORMATS)
    const slash = issuerSlashNote(flags.issuer)
    if (slash !== undefined) io.stderr.write(`${slash}\n`)
    let input = await setupInput(flags, () => client(flags))
    const plan = planSetup(input)
    lintGenerated(plan, input, io)
    if (flags.apply !== true) {
      io.stdout.write(generateSetup(input, flags.format as SetupFormat))
      return
    }
    const iam = flags.endpointUrl === undefined ? {} : { endpointUrl: flags.endpointUrl }
    const accountId = input.accountId ?? (await callerAccount(iam))
    input = { ...input, accountId }
    const applied = await applySetup(planSetup(input), accountId, iam)
    io.stdout.write(
      [
        ...applied.actions,
        `role ARN: ${applied.roleArn}`,
        ...(applied.planRoleArn === undefined
          ? []
          : [
              `plan role ARN: ${applied.planRoleArn}`,
              `next: set the credential's planRoleArn to ${applied.planRoleArn} (and roleArn to ${applied.roleArn})`,
            ]),
        `subjects admitted: ${plan.subjects.join(', ')}`,
        `next: keyless preflight --environment ${flags.environment?.length === 1 ? flags.environment[0] : '<id>'}${flags.endpointUrl === undefined ? '' : ` --endpoint-url ${flags.endpointUrl}`}`,
        '',
      ].join('\n'),
    )
  })
}
