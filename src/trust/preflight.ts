/**
 * `preflight`: before a first run, decide what AWS would answer for an environment's next
 * deployment (the control plane's oidc-preview claims against the role it would assume, read
 * through GetRole), then the negative test (docs/trust.md): the same role against the claims of a
 * sibling environment and of another project of the organization. If either would be allowed,
 * the role is too broad, and the condition that pins it is shown.
 */
import { KeylessError } from '../shared/errors.js'
import { parseRoleArn } from '../shared/arn.js'
import { renderSubject, type SubjectValues } from '../shared/subject-template.js'
import type { LiveProvider, LiveRole } from './aws.js'
import type { ControlPlane, OrganizationOidc } from './control-plane.js'
import { explainWebIdentity } from './explain/aws/explain.js'
import type { Explanation } from './explain/aws/types.js'
import { providerUrlOf } from './provider.js'

export interface PreflightDeps {
  readonly controlPlane: ControlPlane
  readRole(roleArn: string): Promise<LiveRole>
  readProvider(accountId: string, providerUrl: string): Promise<LiveProvider | undefined>
  readonly now: Date
}

export interface NegativeCase {
  readonly kind: 'sibling-environment' | 'other-project'
  readonly projectId: string
  readonly environmentId: string
  /** True when no such environment exists yet and its claims were made up from this one's. */
  readonly hypothetical: boolean
  readonly sub: string
  readonly decision: 'allowed' | 'denied'
  readonly detail: string
}

/**
 * Whom the role is meant for: this environment only, or every environment of its project. The
 * negative test asks a sibling environment to be denied only for `environment`.
 */
export type PreflightScope = 'project' | 'environment'

export interface PreflightOptions {
  /** Default: what the role pins (a role that admits the project and no other is `project`). */
  readonly scope?: PreflightScope
}

export interface PreflightResult {
  readonly environmentId: string
  readonly scope: PreflightScope
  /** `flag` when given, `role` when read from the role's own pinning. */
  readonly scopeSource: 'flag' | 'role'
  /** The organization has stopped minting (incident switch): no deployment gets a token. */
  readonly mintingStopped: boolean
  readonly roleArn: string
  readonly roleSource: string | null
  readonly explanation: Explanation
  readonly negative: readonly NegativeCase[]
  readonly tooBroad: boolean
  /** The condition that pins the role to this environment, when it is too broad. */
  readonly pinningCondition: Readonly<Record<string, Readonly<Record<string, string>>>> | null
  /** Allowed, and neither sibling nor other project would be. */
  readonly ok: boolean
  readonly lines: readonly string[]
}

type Claims = Readonly<Record<string, unknown>>

/** Replaces an id everywhere in the claims (sub, id claims, session tags). */
function substitute(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.split(from).join(to)
  if (Array.isArray(value)) return value.map((v) => substitute(v, from, to))
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, from, to)]))
  return value
}

const str = (claims: Claims, key: string): string => {
  const v = claims[key]
  if (typeof v !== 'string')
    throw new KeylessError('input_unreadable', `the oidc-preview claims have no ${key}`)
  return v
}

async function negativeClaims(
  deps: PreflightDeps,
  claims: Claims,
  kind: NegativeCase['kind'],
): Promise<{ claims: Claims; projectId: string; environmentId: string; hypothetical: boolean }> {
  const org = str(claims, 'organizationId')
  const project = str(claims, 'projectId')
  const env = str(claims, 'environmentId')
  const cp = deps.controlPlane
  if (kind === 'sibling-environment') {
    const sibling = (await cp.environments(project)).find((e) => e.id !== env)
    if (sibling !== undefined)
      return {
        claims: (await cp.environmentPreview(sibling.id)).claims,
        projectId: project,
        environmentId: sibling.id,
        hypothetical: false,
      }
    const made = 'env_preflightsibling0'
    return {
      claims: substitute(claims, env, made) as Claims,
      projectId: project,
      environmentId: made,
      hypothetical: true,
    }
  }
  const other = (await cp.projects(org)).find((p) => p.id !== project)
  if (other !== undefined) {
    const otherEnv = (await cp.environments(other.id))[0]
    if (otherEnv !== undefined)
      return {
        claims: (await cp.environmentPreview(otherEnv.id)).claims,
        projectId: other.id,
        environmentId: otherEnv.id,
        hypothetical: false,
      }
  }
  const projectId = other?.id ?? 'prj_preflightother00'
  const environmentId = 'env_preflightother00'
  return {
    claims: substitute(substitute(claims, project, projectId), env, environmentId) as Claims,
    projectId,
    environmentId,
    hypothetical: true,
  }
}

/** The role's own scope: admits siblings but not other projects → project; else environment. */
function scopeOf(negative: readonly NegativeCase[]): PreflightScope {
  const sibling = negative.find((n) => n.kind === 'sibling-environment')
  const other = negative.find((n) => n.kind === 'other-project')
  return sibling?.decision === 'allowed' && other?.decision === 'denied' ? 'project' : 'environment'
}

/** A negative case that must be denied for the scope (a sibling may deploy with `project`). */
const mustBeDenied = (n: NegativeCase, scope: PreflightScope): boolean =>
  scope === 'environment' || n.kind === 'other-project'

async function negativeCases(
  deps: PreflightDeps,
  claims: Claims,
  explain: (c: Claims) => Explanation,
): Promise<NegativeCase[]> {
  const negative: NegativeCase[] = []
  for (const kind of ['sibling-environment', 'other-project'] as const) {
    const n = await negativeClaims(deps, claims, kind)
    const e = explain(n.claims)
    const trustAllowed = e.trust?.decision === 'Allowed'
    negative.push({
      kind,
      projectId: n.projectId,
      environmentId: n.environmentId,
      hypothetical: n.hypothetical,
      sub: typeof n.claims['sub'] === 'string' ? n.claims['sub'] : '',
      decision: trustAllowed ? 'allowed' : 'denied',
      detail: trustAllowed
        ? 'the trust policy lets it in'
        : (e.trust?.failing[0]?.message ?? e.awsError?.message ?? 'denied'),
    })
  }
  return negative
}

function pinningFor(
  oidc: OrganizationOidc,
  claims: Claims,
  scope: PreflightScope,
): Readonly<Record<string, Readonly<Record<string, string>>>> {
  const values: SubjectValues = {
    organizationId: str(claims, 'organizationId'),
    projectId: str(claims, 'projectId'),
    environmentId: scope === 'project' ? '*' : str(claims, 'environmentId'),
    templateId: typeof claims['templateId'] === 'string' ? claims['templateId'] : '*',
    deploymentType: '*',
    deploymentId: '*',
    runPhase: '*',
  }
  const pinned = renderSubject(oidc.subjectTemplate, values).replace(/\*+/gu, '*')
  return {
    [/[*?]/u.test(pinned) ? 'StringLike' : 'StringEquals']: {
      [`${oidc.conditionKeyPrefix}:sub`]: pinned,
    },
  }
}

/** Runs the preflight for one environment. */
export async function preflight(
  environmentId: string,
  deps: PreflightDeps,
  options: PreflightOptions = {},
): Promise<PreflightResult> {
  const preview = await deps.controlPlane.environmentPreview(environmentId)
  if (preview.roleArn === null)
    throw new KeylessError(
      'invalid_state',
      `environment ${environmentId} has no AWS role: assign an aws-oidc credential to its project (or set KEYLESS_AWS_ROLE_ARN)`,
    )
  const claims = preview.claims
  const orgId = str(claims, 'organizationId')
  const oidc: OrganizationOidc = await deps.controlPlane.organizationOidc(orgId)
  const role = await deps.readRole(preview.roleArn)
  const account = parseRoleArn(role.arn)?.accountId ?? role.accountId
  const providerUrl = providerUrlOf(str(claims, 'iss'))
  const provider = (await deps.readProvider(account, providerUrl)) ?? null
  const explain = (c: Claims): Explanation =>
    explainWebIdentity({
      claims: c,
      trustPolicy: role.trustPolicy,
      roleArn: role.arn,
      duration: preview.durationSeconds ?? 3600,
      maxSessionDuration: role.maxSessionDuration,
      provider,
      roleSessionName: 'keyless-preflight',
      now: deps.now,
    })
  const explanation = explain(claims)
  const negative = await negativeCases(deps, claims, explain)
  const scope = options.scope ?? scopeOf(negative)
  const tooBroad = negative.some((n) => n.decision === 'allowed' && mustBeDenied(n, scope))
  const pinningCondition = tooBroad ? pinningFor(oidc, claims, scope) : null
  const ok = explanation.decision === 'allowed' && !tooBroad && !oidc.mintingStopped
  const lines = resultLines({
    environmentId,
    orgId,
    roleArn: role.arn,
    roleSource: preview.roleSource ?? null,
    explanation,
    negative,
    scope,
    scopeSource: options.scope === undefined ? 'role' : 'flag',
    pinningCondition,
    mintingStopped: oidc.mintingStopped,
    ok,
  })
  return {
    environmentId,
    scope,
    scopeSource: options.scope === undefined ? 'role' : 'flag',
    mintingStopped: oidc.mintingStopped,
    roleArn: role.arn,
    roleSource: preview.roleSource ?? null,
    explanation,
    negative,
    tooBroad,
    pinningCondition,
    ok,
    lines,
  }
}

interface LinesInput {
  readonly environmentId: string
  readonly orgId: string
  readonly roleArn: string
  readonly roleSource: string | null
  readonly explanation: Explanation
  readonly negative: readonly NegativeCase[]
  readonly scope: PreflightScope
  readonly scopeSource: 'flag' | 'role'
  readonly pinningCondition: PreflightResult['pinningCondition']
  readonly mintingStopped: boolean
  readonly ok: boolean
}

function verdict(r: LinesInput): string {
  if (r.ok)
    return r.scope === 'project'
      ? 'Preflight passed: this environment can deploy, and other projects cannot use the role.'
      : 'Preflight passed: this environment can deploy, and its siblings and other projects cannot use the role.'
  if (r.explanation.decision !== 'allowed')
    return `Preflight failed: the first deployment would get ${r.explanation.awsError?.code ?? 'an error'}: ${r.explanation.awsError?.message ?? ''}`
  if (r.mintingStopped)
    return `Preflight failed: organization ${r.orgId} has stopped minting tokens (incident switch), so no deployment gets one; an admin resumes with PATCH /api/v1/organizations/${r.orgId} {"mintingStopped": false}.`
  return 'Preflight failed: the role is too broad (see the negative test).'
}

function resultLines(r: LinesInput): string[] {
  const scopeWhy =
    r.scopeSource === 'flag'
      ? '--scope'
      : `from the role's pinning; --scope ${r.scope === 'project' ? 'environment' : 'project'} to check the other`
  const lines: string[] = [
    `Environment ${r.environmentId}: role ${r.roleArn}${r.roleSource === null ? '' : ` (from ${r.roleSource})`}`,
    ...r.explanation.lines.map((l) => `  ${l}`),
    `Scope: ${r.scope} (${scopeWhy})`,
    r.scope === 'project'
      ? 'Negative test (the same role, a token of another project must be denied; siblings may deploy)'
      : 'Negative test (the same role, tokens of other scopes; both must be denied)',
  ]
  for (const n of r.negative) {
    const bad = n.decision === 'allowed' && mustBeDenied(n, r.scope)
    lines.push(
      `  ${bad ? 'TOO BROAD' : 'ok       '} ${n.kind} ${n.environmentId}${n.hypothetical ? ' (hypothetical)' : ''}: sub ${n.sub}: ${n.decision} (${n.detail})`,
    )
  }
  if (r.pinningCondition !== null) {
    const other = r.negative.find((n) => n.decision === 'allowed' && mustBeDenied(n, r.scope))
    lines.push(
      `The role is too broad: a deployment of another ${other?.kind === 'other-project' ? 'project' : 'environment'} can assume it. Pin it to this ${r.scope} with:`,
      `  "Condition": ${JSON.stringify(r.pinningCondition)}`,
    )
  }
  if (r.mintingStopped)
    lines.push(`Minting is stopped for organization ${r.orgId}: the next deployment gets no token.`)
  lines.push(verdict(r))
  return lines
}
