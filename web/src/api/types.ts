/**
 * The REST resources the console reads (docs/architecture.md §9: camelCase, flat). Optional fields
 * are ones the console shows when present; it never depends on more than the contract pins.
 */
export interface Page<T> {
  readonly items: T[]
  readonly nextCursor: string | null
}

export interface Organization {
  readonly id: string
  readonly name: string
  readonly audience?: string
  readonly subjectTemplate?: string
  readonly mintingStopped?: boolean
  readonly createdAt?: string
}

export interface Project {
  readonly id: string
  readonly organizationId: string
  readonly name: string
  readonly description?: string | null
  readonly createdAt?: string
}

export type TemplateType = 'custom' | 'terraform' | 'opentofu'

export interface TemplateStep {
  readonly name: string
  readonly run: string
}

export interface Template {
  readonly id: string
  readonly organizationId: string
  readonly name: string
  readonly type: TemplateType
  readonly steps?: TemplateStep[]
  readonly path?: string | null
  readonly createdAt?: string
}

export interface Environment {
  readonly id: string
  readonly projectId: string
  readonly templateId: string
  readonly name: string
  readonly roleArnOverride?: string | null
  readonly organizationId?: string
  readonly createdAt?: string
}

export interface Credential {
  readonly id: string
  readonly organizationId: string
  readonly projectId?: string | null
  readonly name?: string
  readonly type: 'aws-oidc'
  readonly roleArn: string
  readonly durationSeconds: number
  readonly planRoleArn?: string | null
  readonly region?: string | null
  readonly stsEndpoint?: string | null
  readonly sessionTags: boolean
  readonly refresh?: boolean
  readonly projectIds?: string[]
  readonly createdAt?: string
}

export type DeploymentType = 'deploy' | 'destroy' | 'plan' | 'task'
export type DeploymentStatus =
  'queued' | 'claimed' | 'running' | 'succeeded' | 'failed' | 'cancelled'

export const FINISHED: readonly DeploymentStatus[] = ['succeeded', 'failed', 'cancelled']

export interface DeploymentStep {
  readonly index?: number
  readonly name: string
  readonly status: string
  readonly exitCode?: number | null
}

export interface DeploymentFailure {
  readonly code?: string
  readonly message: string
  readonly explanation?: string[]
}

export interface Deployment {
  readonly id: string
  readonly environmentId: string
  readonly projectId?: string
  readonly organizationId?: string
  readonly type: DeploymentType
  readonly status: DeploymentStatus
  readonly deployerEmail?: string
  readonly createdAt?: string
  readonly startedAt?: string | null
  readonly finishedAt?: string | null
  readonly roleArn?: string | null
  readonly roleSource?: string | null
  readonly assumedRoleArn?: string | null
  readonly steps?: DeploymentStep[]
  readonly failure?: DeploymentFailure | null
  readonly message?: string | null
  readonly lastTokenClaims?: Record<string, unknown> | null
  readonly environmentName?: string
  readonly projectName?: string
}

export interface OidcInfo {
  readonly issuer: string
  readonly jwksUri: string
  readonly audience: string
  readonly subjectTemplate: string
  readonly exampleSubject: string
  readonly conditionKeyPrefix: string
  readonly previousSubjectTemplate?: string | null
  readonly previousExampleSubject?: string | null
  readonly sessionTags?: unknown
  readonly mintingStopped: boolean
  readonly thumbprint?: string | null
}

export interface AuditEntry {
  readonly id: string
  readonly time?: string
  readonly createdAt?: string
  readonly action?: string
  readonly type?: string
  readonly actor?: string | null
  readonly actorEmail?: string | null
  readonly deploymentId?: string | null
  readonly jti?: string | null
  readonly kid?: string | null
  readonly keyId?: string | null
  readonly roleArn?: string | null
  readonly roleSessionName?: string | null
  readonly details?: unknown
  readonly [key: string]: unknown
}

export interface LintFinding {
  readonly ruleId: string
  readonly severity: 'error' | 'warning' | 'info'
  readonly message: string
  readonly statement?: string | number | null
  readonly key?: string | null
  readonly fix?: string | null
}

export interface LintResult {
  readonly findings: LintFinding[]
  readonly summary: { errors: number; warnings: number; infos: number }
}
