import type { AgentDeployment } from '../shared/contracts/agent-api.js'
import type { Cloud, DeploymentType, RoleSource } from '../shared/contracts/common.js'
import { resolveRole } from '../shared/resolve-role.js'
import type {
  CredentialRow,
  DeploymentRow,
  EnvironmentRow,
  OrganizationRow,
  ProjectRow,
  TemplateRow,
} from '../store/platform-tables.js'
import type { Tx } from './context.js'
import { toTemplate } from './resources.js'
import { effectiveVariables, type EffectiveVariable } from './variables.js'
import { KeylessError } from '../shared/errors.js'
import { toAgentAzure, toAgentGcp } from './agent-credentials.js'

/** Everything a deployment of an environment runs with, looked up in one place. */
export interface Resolution {
  readonly organization: OrganizationRow
  readonly project: ProjectRow
  readonly template: TemplateRow
  readonly environment: EnvironmentRow
  readonly variables: ReadonlyMap<string, EffectiveVariable>
  /** The AWS credential assigned to the project, if any. */
  readonly credential: CredentialRow | null
  /** The Azure credential assigned to the project, if any. */
  readonly azure: CredentialRow | null
  /** The GCP credential assigned to the project, if any. */
  readonly gcp: CredentialRow | null
  /** The role, after overrides; null when no credential is assigned. */
  readonly role:
    | { readonly ok: true; readonly roleArn: string; readonly source: RoleSource }
    | { readonly ok: false; readonly source: RoleSource; readonly message: string }
    | null
}

/** Variable that sets the free-form `userTag` claim (alias `ENV0_OIDC_TAG`). */
export const USER_TAG_VARIABLES = ['KEYLESS_OIDC_TAG', 'ENV0_OIDC_TAG'] as const

export async function resolveEnvironment(
  db: Tx,
  environmentId: string,
  deploymentType: DeploymentType,
): Promise<Resolution> {
  const environment = await db
    .selectFrom('environments')
    .selectAll()
    .where('id', '=', environmentId)
    .executeTakeFirst()
  if (environment === undefined)
    throw new KeylessError('not_found', `environment ${environmentId} not found`, {
      id: environmentId,
    })
  const [organization, project, template, assigned] = await Promise.all([
    db
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', environment.organization_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', environment.project_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('templates')
      .selectAll()
      .where('id', '=', environment.template_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('credential_assignments')
      .innerJoin('credentials', 'credentials.id', 'credential_assignments.credential_id')
      .selectAll('credentials')
      .select('credential_assignments.cloud as cloud')
      .where('credential_assignments.project_id', '=', environment.project_id)
      .execute(),
  ])
  const of = (cloud: Cloud): CredentialRow | null => {
    const found = assigned.find((r) => r.cloud === cloud)
    if (found === undefined) return null
    const { cloud: _c, ...row } = found
    return row
  }
  return completeResolution(
    db,
    {
      environment,
      organization,
      project,
      template,
      credential: of('aws'),
      azure: of('azure'),
      gcp: of('gcp'),
    },
    deploymentType,
  )
}

/** The resolution from rows already read: adds the effective variables and resolves the role. */
export async function completeResolution(
  db: Tx,
  rows: Omit<Resolution, 'variables' | 'role'>,
  deploymentType: DeploymentType,
): Promise<Resolution> {
  const { credential, environment } = rows
  const variables = await effectiveVariables(db, environment)
  const plain: Record<string, string> = {}
  for (const [name, v] of variables) plain[name] = v.value
  const role =
    credential === null
      ? null
      : resolveRole({
          roleArn: credential.role_arn,
          planRoleArn: credential.plan_role_arn,
          deploymentType,
          environmentRoleArn: environment.role_arn_override,
          variables: plain,
        })
  return { ...rows, variables, role }
}

export function userTagOf(resolution: Resolution): string | undefined {
  for (const name of USER_TAG_VARIABLES) {
    const v = resolution.variables.get(name)
    if (v !== undefined && v.value !== '') return v.value
  }
  return undefined
}

/** The deployment as the agent receives it on claim (src/shared/contracts/agent-api.ts). */
export function toAgentDeployment(row: DeploymentRow, r: Resolution): AgentDeployment {
  const template = toTemplate(r.template)
  const credential =
    r.credential !== null && r.role?.ok === true
      ? {
          id: r.credential.id,
          type: 'aws-oidc' as const,
          roleArn: r.role.roleArn,
          roleSource: r.role.source,
          planRoleArn: r.credential.plan_role_arn,
          durationSeconds: r.credential.duration_seconds,
          region: r.credential.region,
          stsEndpoint: r.credential.sts_endpoint,
          sessionTags: r.credential.session_tags !== 0,
          refresh: r.credential.refresh !== 0,
        }
      : null
  let credentialError: string | null = null
  if (r.role !== null && !r.role.ok) credentialError = r.role.message
  else if (r.credential === null && r.environment.role_arn_override !== null)
    credentialError = `environment ${r.environment.id} overrides the role but project ${r.project.id} has no credential assigned`
  return {
    id: row.id,
    type: row.type as AgentDeployment['type'],
    status: row.status as AgentDeployment['status'],
    organizationId: r.organization.id,
    organizationName: r.organization.name,
    projectId: r.project.id,
    projectName: r.project.name,
    environmentId: r.environment.id,
    environmentName: r.environment.name,
    deployerEmail: row.deployer_email,
    template: {
      id: template.id,
      name: template.name,
      type: template.type,
      steps: template.steps,
      path: template.path,
      stateBackend: template.stateBackend,
      repository:
        template.repositoryUrl === null
          ? null
          : { url: template.repositoryUrl, ref: template.repositoryRef },
    },
    variables: [...r.variables.values()].map((v) => ({
      name: v.name,
      value: v.value,
      sensitive: v.sensitive,
    })),
    credential,
    credentialError,
    azure: r.azure === null ? null : toAgentAzure(r.azure),
    gcp: r.gcp === null ? null : toAgentGcp(r.gcp),
    requiresApproval: r.environment.requires_approval !== 0,
  }
}
