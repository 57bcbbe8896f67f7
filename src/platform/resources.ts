import type {
  AgentToken,
  ApiKey,
  AuditEvent,
  Deployment,
  Environment,
  LogEntry,
  Organization,
  Project,
  Template,
  Variable,
  VariableScope,
} from '../shared/contracts/resources.js'
import type {
  AgentTokenRow,
  ApiKeyRow,
  AuditEventRow,
  DeploymentLogRow,
  DeploymentRow,
  EnvironmentRow,
  OrganizationRow,
  ProjectRow,
  TemplateRow,
  VariableRow,
} from '../store/platform-tables.js'

/** The REST resources live in src/shared/contracts; re-exported so platform users keep compiling. */
export * from '../shared/contracts/resources.js'

// Row → resource.

const bool = (v: number): boolean => v !== 0

function json<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T)
}

export function toOrganization(r: OrganizationRow): Organization {
  return {
    id: r.id,
    name: r.name,
    audience: r.audience,
    subjectTemplate: r.subject_template,
    previousSubjectTemplate: r.previous_subject_template,
    mintingStopped: bool(r.minting_stopped),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export function toProject(r: ProjectRow): Project {
  return {
    id: r.id,
    organizationId: r.organization_id,
    name: r.name,
    description: r.description,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export function toTemplate(r: TemplateRow): Template {
  return {
    id: r.id,
    organizationId: r.organization_id,
    name: r.name,
    type: r.type as Template['type'],
    steps: json<Template['steps']>(r.steps) ?? [],
    path: r.path,
    repositoryUrl: r.repository_url,
    repositoryRef: r.repository_ref,
    stateBackend: r.state_backend as Template['stateBackend'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export function toEnvironment(r: EnvironmentRow): Environment {
  return {
    id: r.id,
    organizationId: r.organization_id,
    projectId: r.project_id,
    templateId: r.template_id,
    name: r.name,
    roleArnOverride: r.role_arn_override,
    requiresApproval: bool(r.requires_approval),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export function toVariable(r: VariableRow): Variable {
  const sensitive = bool(r.sensitive)
  return {
    id: r.id,
    organizationId: r.organization_id,
    scope: r.scope as VariableScope,
    scopeId: r.scope_id,
    name: r.name,
    value: sensitive ? null : r.value,
    sensitive,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

/** `waitingFor` is known only to the queue (see queue-order.ts); rows alone say null. */
export function toDeployment(
  r: DeploymentRow,
  waitingFor: Deployment['waitingFor'] = null,
): Deployment {
  return {
    id: r.id,
    organizationId: r.organization_id,
    projectId: r.project_id,
    environmentId: r.environment_id,
    templateId: r.template_id,
    type: r.type as Deployment['type'],
    status: r.status as Deployment['status'],
    deployerEmail: r.deployer_email,
    agentName: r.agent_name,
    leaseExpiresAt: r.lease_expires_at,
    cancelRequested: bool(r.cancel_requested),
    credentialId: r.credential_id,
    azureCredentialId: r.azure_credential_id,
    gcpCredentialId: r.gcp_credential_id,
    roleArn: r.role_arn,
    roleSource: r.role_source as Deployment['roleSource'],
    assumedRoleArn: r.assumed_role_arn,
    message: r.message,
    failure: json<Deployment['failure']>(r.failure),
    steps: json<Deployment['steps']>(r.steps) ?? [],
    lastTokenClaims: json<Record<string, unknown>>(r.last_token_claims),
    plan: json<Deployment['plan']>(r.plan),
    runPhase: r.run_phase as Deployment['runPhase'],
    approval: json<Deployment['approval']>(r.approval),
    waitingFor: r.status === 'queued' ? waitingFor : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    claimedAt: r.claimed_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  }
}

export function toLogEntry(r: DeploymentLogRow): LogEntry {
  return { seq: r.seq, stream: r.stream as LogEntry['stream'], text: r.text, time: r.time }
}

export function toApiKey(r: ApiKeyRow): ApiKey {
  return {
    id: r.id,
    organizationId: r.organization_id,
    role: r.role as ApiKey['role'],
    email: r.email,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  }
}

export function toAgentToken(r: AgentTokenRow): AgentToken {
  return {
    id: r.id,
    organizationId: r.organization_id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  }
}

export function toAuditEvent(r: AuditEventRow, actorName: string | null = null): AuditEvent {
  return {
    id: r.id,
    organizationId: r.organization_id,
    action: r.action,
    actorType: r.actor_type,
    actorId: r.actor_id,
    actorEmail: r.actor_email,
    actorName,
    deploymentId: r.deployment_id,
    details: json<Record<string, unknown>>(r.details) ?? {},
    createdAt: r.created_at,
  }
}
