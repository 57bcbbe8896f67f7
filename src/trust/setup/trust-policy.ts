/**
 * The trust policy `keyless setup aws` writes: the organization's provider, web identity and
 * TagSession allowed, aud pinned exactly, sub pinned exactly or with StringLike over the
 * ID-based subject of the chosen projects/environments, and `aws:RequestTag/organizationId`
 * when the organization's tokens carry session tags. A previous subject template adds its
 * subjects too (dual accept, for the migration).
 */
import type { DeploymentType, RunPhase } from '../../shared/contracts/common.js'
import { KeylessError } from '../../shared/errors.js'
import {
  DEFAULT_SUBJECT_TEMPLATE,
  renderSubject,
  validateSubjectTemplate,
  type SubjectValues,
} from '../../shared/subject-template.js'
import { providerArnOf, providerUrlOf } from '../provider.js'

export interface SetupEnvironment {
  readonly environmentId: string
  /** The environment's project (from the control plane); `*` when unknown. */
  readonly projectId?: string
}

export interface SetupInput {
  readonly organizationId: string
  /** The organization's issuer URL, exactly as in `iss`. */
  readonly issuer: string
  /** The organization's audience (the provider's client ID), e.g. `aws:org_…`. */
  readonly audience: string
  readonly subjectTemplate?: string
  /** The template subjects had before a change: its subjects are accepted too (dual accept). */
  readonly previousSubjectTemplate?: string
  /** Condition-key prefix; default the issuer without its scheme. */
  readonly conditionKeyPrefix?: string
  readonly sessionTags: boolean
  readonly projectIds?: readonly string[]
  readonly environments?: readonly SetupEnvironment[]
  /** Deployment types to admit; default all (`type:*`). */
  readonly deploymentTypes?: readonly DeploymentType[]
  readonly roleName: string
  readonly accountId?: string
  readonly maxSessionDuration?: number
  readonly thumbprints?: readonly string[]
  readonly partition?: string
  /**
   * Two roles instead of one: `<roleName>-plan` (read-only, admits only plan-phase tokens) and
   * `<roleName>` (admits only apply-phase tokens), gated on the `runPhase` session tag, or on the
   * subject when the tags are off and the template has `{runPhase}`.
   */
  readonly splitPhases?: boolean
}

/** The managed policy the plan role of `--split-phases` gets (read-only access). */
export const READ_ONLY_POLICY = 'ReadOnlyAccess'

export interface PhaseRole {
  readonly roleName: string
  readonly trustPolicy: TrustPolicyDocument
  readonly subjects: readonly string[]
  /** Managed policies to attach (ARNs). */
  readonly managedPolicyArns: readonly string[]
}

/** The placeholder account id used where none is known (Terraform and CloudFormation never need it). */
export const ACCOUNT_PLACEHOLDER = '${ACCOUNT_ID}'

export interface SetupPlan {
  readonly organizationId: string
  readonly issuer: string
  readonly providerUrl: string
  /** With the account id, or `${ACCOUNT_ID}` when not known. */
  readonly providerArn: string
  readonly clientIds: readonly string[]
  readonly roleName: string
  readonly maxSessionDuration: number
  readonly thumbprints: readonly string[]
  readonly subjects: readonly string[]
  /** The trust policy, with `providerArn` as the Federated principal. */
  readonly trustPolicy: TrustPolicyDocument
  /** With `splitPhases`: the read-only plan role; the role above then admits only applies. */
  readonly planRole?: PhaseRole
}

export interface TrustPolicyDocument {
  readonly Version: '2012-10-17'
  readonly Statement: ReadonlyArray<{
    readonly Sid: string
    readonly Effect: 'Allow'
    readonly Principal: { readonly Federated: string }
    readonly Action: readonly string[]
    readonly Condition: Readonly<
      Record<string, Readonly<Record<string, string | readonly string[]>>>
    >
  }>
}

function subjectsFor(input: SetupInput, template: string, runPhase?: RunPhase): string[] {
  const problems = validateSubjectTemplate(template)
  if (problems.length > 0)
    throw new KeylessError(
      'usage_error',
      `subject template ${JSON.stringify(template)}: ${problems.join('; ')}`,
    )
  const types: readonly string[] =
    input.deploymentTypes === undefined || input.deploymentTypes.length === 0
      ? ['*']
      : [...new Set(input.deploymentTypes)]
  const scopes: Array<{ projectId: string; environmentId: string }> = []
  for (const p of input.projectIds ?? []) scopes.push({ projectId: p, environmentId: '*' })
  for (const e of input.environments ?? [])
    scopes.push({ projectId: e.projectId ?? '*', environmentId: e.environmentId })
  if (scopes.length === 0) scopes.push({ projectId: '*', environmentId: '*' })
  const out: string[] = []
  for (const scope of scopes)
    for (const type of types) {
      const values: SubjectValues = {
        organizationId: input.organizationId,
        projectId: scope.projectId,
        environmentId: scope.environmentId,
        templateId: '*',
        deploymentType: type,
        deploymentId: '*',
        runPhase: runPhase ?? '*',
      }
      const subject = renderSubject(template, values).replace(/\*+/gu, '*')
      if (!out.includes(subject)) out.push(subject)
    }
  return out
}

/** Builds the provider, role and trust policy for an organization (pure). */
export function planSetup(input: SetupInput): SetupPlan {
  if (!/^[\w+=,.@-]{1,64}$/u.test(input.roleName))
    throw new KeylessError(
      'usage_error',
      `role name ${JSON.stringify(input.roleName)} is not valid (1–64 of [A-Za-z0-9+=,.@_-])`,
    )
  if (input.accountId !== undefined && !/^\d{12}$/u.test(input.accountId))
    throw new KeylessError(
      'usage_error',
      `account id ${JSON.stringify(input.accountId)} is not 12 digits`,
    )
  const maxSessionDuration = input.maxSessionDuration ?? 3600
  if (
    !Number.isInteger(maxSessionDuration) ||
    maxSessionDuration < 3600 ||
    maxSessionDuration > 43200
  )
    throw new KeylessError(
      'usage_error',
      'max session duration must be an integer from 3600 to 43200',
    )
  const providerUrl = providerUrlOf(input.issuer)
  const providerArn = providerArnOf(
    input.accountId ?? ACCOUNT_PLACEHOLDER,
    providerUrl,
    input.partition ?? 'aws',
  )
  const ctx = { input, providerArn, prefix: input.conditionKeyPrefix ?? providerUrl }
  const main = phaseRole(ctx, input.roleName, input.splitPhases === true ? 'apply' : undefined)
  return {
    organizationId: input.organizationId,
    issuer: input.issuer,
    providerUrl,
    providerArn,
    clientIds: [input.audience],
    roleName: input.roleName,
    maxSessionDuration,
    thumbprints: [...(input.thumbprints ?? [])],
    subjects: main.subjects,
    trustPolicy: main.trustPolicy,
    ...(input.splitPhases === true ? { planRole: planRoleOf(ctx, input.partition ?? 'aws') } : {}),
  }
}

interface RoleContext {
  readonly input: SetupInput
  readonly providerArn: string
  readonly prefix: string
}

function planRoleOf(ctx: RoleContext, partition: string): PhaseRole {
  const name = `${ctx.input.roleName}-plan`
  if (name.length > 64)
    throw new KeylessError(
      'usage_error',
      `--split-phases names the plan role ${name}: shorten --role-name to at most 59 characters`,
    )
  return {
    ...phaseRole(ctx, name, 'plan'),
    managedPolicyArns: [`arn:${partition}:iam::aws:policy/${READ_ONLY_POLICY}`],
  }
}

/** Subjects and trust policy of one role; with a phase, only that phase's tokens get in. */
function phaseRole(ctx: RoleContext, roleName: string, phase?: RunPhase): PhaseRole {
  const { input, prefix } = ctx
  const template = input.subjectTemplate ?? DEFAULT_SUBJECT_TEMPLATE
  const bySubject = phase !== undefined && !input.sessionTags
  if (bySubject && !template.includes('{runPhase}'))
    throw new KeylessError(
      'usage_error',
      '--split-phases gates the roles on the runPhase session tag: it needs session tags on, or a subject template with {runPhase}',
    )
  const subjectPhase = bySubject ? phase : undefined
  const subjects = subjectsFor(input, template, subjectPhase)
  // A previous template that no longer validates (one from before the tenant boundary) cannot
  // mint any more, so its subjects are not accepted either.
  const previous = input.previousSubjectTemplate
  if (
    previous !== undefined &&
    previous !== template &&
    validateSubjectTemplate(previous).length === 0 &&
    (!bySubject || previous.includes('{runPhase}'))
  )
    for (const s of subjectsFor(input, previous, subjectPhase))
      if (!subjects.includes(s)) subjects.push(s)
  const like = subjects.some((s) => /[*?]/u.test(s))
  const equals: Record<string, string | readonly string[]> = { [`${prefix}:aud`]: input.audience }
  if (input.sessionTags) equals['aws:RequestTag/organizationId'] = input.organizationId
  if (input.sessionTags && phase !== undefined) equals['aws:RequestTag/runPhase'] = phase
  const subValue = subjects.length === 1 ? (subjects[0] as string) : subjects
  const condition: Record<string, Record<string, string | readonly string[]>> = like
    ? { StringEquals: equals, StringLike: { [`${prefix}:sub`]: subValue } }
    : { StringEquals: { ...equals, [`${prefix}:sub`]: subValue } }
  return {
    roleName,
    subjects,
    managedPolicyArns: [],
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'KeylessDeployments',
          Effect: 'Allow',
          Principal: { Federated: ctx.providerArn },
          Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
          Condition: condition,
        },
      ],
    },
  }
}

/** The trust policy as IAM would receive it: the account placeholder filled (for lint and apply). */
export function trustPolicyText(
  plan: Pick<SetupPlan, 'trustPolicy'>,
  accountId = '000000000000',
): string {
  return JSON.stringify(plan.trustPolicy).replaceAll(ACCOUNT_PLACEHOLDER, accountId)
}
