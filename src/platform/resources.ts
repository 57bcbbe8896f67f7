import { z } from 'zod'
import {
  deploymentStatusSchema,
  deploymentTypeSchema,
  roleSchema,
  roleSourceSchema,
  templateTypeSchema,
} from '../shared/contracts/common.js'
import { stepStatusSchema } from '../shared/contracts/agent-api.js'
import type {
  AgentTokenRow,
  ApiKeyRow,
  AuditEventRow,
  CredentialRow,
  DeploymentLogRow,
  DeploymentRow,
  EnvironmentRow,
  OrganizationRow,
  ProjectRow,
  TemplateRow,
  VariableRow,
} from '../store/platform-tables.js'

/**
 * The resources of the REST API (DESIGN §9: camelCase, flat). The server validates every answer
 * against these schemas, so a field not declared here never leaves the process.
 */

export const organizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  audience: z.string(),
  subjectTemplate: z.string(),
  previousSubjectTemplate: z.string().nullable(),
  mintingStopped: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Organization = z.infer<typeof organizationSchema>

export const projectSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Project = z.infer<typeof projectSchema>

export const stepSchema = z.object({ name: z.string(), run: z.string() })

export const templateSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  name: z.string(),
  type: templateTypeSchema,
  steps: z.array(stepSchema),
  path: z.string().nullable(),
  repositoryUrl: z.string().nullable(),
  repositoryRef: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Template = z.infer<typeof templateSchema>

export const environmentSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  projectId: z.string(),
  templateId: z.string(),
  name: z.string(),
  roleArnOverride: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Environment = z.infer<typeof environmentSchema>

export const variableScopeSchema = z.enum(['organization', 'project', 'template', 'environment'])
export type VariableScope = z.infer<typeof variableScopeSchema>

export const variableSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  scope: variableScopeSchema,
  scopeId: z.string(),
  name: z.string(),
  /** null when the variable is sensitive: sensitive values are write-only. */
  value: z.string().nullable(),
  sensitive: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Variable = z.infer<typeof variableSchema>

export const credentialSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  scope: z.enum(['organization', 'project']),
  projectId: z.string().nullable(),
  name: z.string(),
  type: z.literal('aws-oidc'),
  roleArn: z.string(),
  durationSeconds: z.number().int(),
  planRoleArn: z.string().nullable(),
  region: z.string(),
  stsEndpoint: z.string().nullable(),
  sessionTags: z.boolean(),
  refresh: z.boolean(),
  /** The projects the credential is assigned to. */
  projectIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Credential = z.infer<typeof credentialSchema>

export const deploymentStepSchema = z.object({
  index: z.number().int(),
  name: z.string(),
  status: stepStatusSchema,
  exitCode: z.number().int().nullable(),
})

export const failureSchema = z.object({
  code: z.string().optional(),
  message: z.string(),
  explanation: z.array(z.string()).optional(),
})

export const deploymentSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  projectId: z.string(),
  environmentId: z.string(),
  templateId: z.string(),
  type: deploymentTypeSchema,
  status: deploymentStatusSchema,
  deployerEmail: z.string(),
  agentName: z.string().nullable(),
  leaseExpiresAt: z.string().nullable(),
  cancelRequested: z.boolean(),
  credentialId: z.string().nullable(),
  roleArn: z.string().nullable(),
  roleSource: roleSourceSchema.nullable(),
  assumedRoleArn: z.string().nullable(),
  message: z.string().nullable(),
  failure: failureSchema.nullable(),
  steps: z.array(deploymentStepSchema),
  lastTokenClaims: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  claimedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
})
export type Deployment = z.infer<typeof deploymentSchema>

export const logEntrySchema = z.object({
  seq: z.number().int(),
  stream: z.enum(['stdout', 'stderr', 'system']),
  text: z.string(),
  time: z.string(),
})
export type LogEntry = z.infer<typeof logEntrySchema>

export const apiKeySchema = z.object({
  id: z.string(),
  organizationId: z.string().nullable(),
  role: z.union([roleSchema, z.literal('owner')]),
  email: z.string(),
  name: z.string().nullable(),
  prefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
})
export type ApiKey = z.infer<typeof apiKeySchema>
export const newApiKeySchema = apiKeySchema.extend({ key: z.string() })
export type NewApiKey = z.infer<typeof newApiKeySchema>

export const agentTokenSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
})
export type AgentToken = z.infer<typeof agentTokenSchema>
export const newAgentTokenSchema = agentTokenSchema.extend({ token: z.string() })
export type NewAgentToken = z.infer<typeof newAgentTokenSchema>

export const auditEventSchema = z.object({
  id: z.string(),
  organizationId: z.string().nullable(),
  action: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  deploymentId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
})
export type AuditEvent = z.infer<typeof auditEventSchema>

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() })
}

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

export function toCredential(r: CredentialRow, projectIds: readonly string[] = []): Credential {
  return {
    id: r.id,
    organizationId: r.organization_id,
    scope: r.scope as Credential['scope'],
    projectId: r.project_id,
    name: r.name,
    type: 'aws-oidc',
    roleArn: r.role_arn,
    durationSeconds: r.duration_seconds,
    planRoleArn: r.plan_role_arn,
    region: r.region,
    stsEndpoint: r.sts_endpoint,
    sessionTags: bool(r.session_tags),
    refresh: bool(r.refresh),
    projectIds: [...projectIds],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export function toDeployment(r: DeploymentRow): Deployment {
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
    roleArn: r.role_arn,
    roleSource: r.role_source as Deployment['roleSource'],
    assumedRoleArn: r.assumed_role_arn,
    message: r.message,
    failure: json<Deployment['failure']>(r.failure),
    steps: json<Deployment['steps']>(r.steps) ?? [],
    lastTokenClaims: json<Record<string, unknown>>(r.last_token_claims),
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

export function toAuditEvent(r: AuditEventRow): AuditEvent {
  return {
    id: r.id,
    organizationId: r.organization_id,
    action: r.action,
    actorType: r.actor_type,
    actorId: r.actor_id,
    actorEmail: r.actor_email,
    deploymentId: r.deployment_id,
    details: json<Record<string, unknown>>(r.details) ?? {},
    createdAt: r.created_at,
  }
}
