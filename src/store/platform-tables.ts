/** Row types of the platform tables (migration 0001_platform). See schema.ts for conventions. */

export interface OrganizationRow {
  id: string
  name: string
  audience: string
  subject_template: string
  previous_subject_template: string | null
  minting_stopped: number
  created_at: string
  updated_at: string
}

export interface ProjectRow {
  id: string
  organization_id: string
  name: string
  description: string | null
  created_at: string
  updated_at: string
}

export interface TemplateRow {
  id: string
  organization_id: string
  name: string
  /** custom | terraform | opentofu */
  type: string
  /** JSON: `[{ name, run }]` */
  steps: string
  path: string | null
  repository_url: string | null
  repository_ref: string | null
  /** `managed` (keyless's http backend) | `template` (the code's own backend); migration 0006. */
  state_backend: string
  created_at: string
  updated_at: string
}

export interface EnvironmentRow {
  id: string
  organization_id: string
  project_id: string
  template_id: string
  name: string
  role_arn_override: string | null
  /** 0/1: a deploy stops after its plan until approved (migration 0006). */
  requires_approval: number
  created_at: string
  updated_at: string
}

export interface VariableRow {
  id: string
  organization_id: string
  /** organization | project | template | environment */
  scope: string
  scope_id: string
  name: string
  value: string
  sensitive: number
  created_at: string
  updated_at: string
}

export interface CredentialRow {
  id: string
  organization_id: string
  /** organization | project */
  scope: string
  project_id: string | null
  name: string
  /** aws-oidc | azure-oidc | gcp-oidc */
  type: string
  /** AWS only ('' for other clouds). */
  role_arn: string
  duration_seconds: number
  plan_role_arn: string | null
  region: string
  sts_endpoint: string | null
  session_tags: number
  refresh: number
  /** The credential's own subject template; null: the organization's. */
  subject_template: string | null
  /** JSON: the settings of an Azure or GCP credential (src/platform/credential-settings.ts). */
  settings: string | null
  /** The `aud` of an Azure or GCP credential's tokens; null for AWS (the organization's). */
  audience: string | null
  created_at: string
  updated_at: string
}

export interface CredentialAssignmentRow {
  project_id: string
  /** aws | azure | gcp: a project has at most one credential per cloud. */
  cloud: string
  credential_id: string
  organization_id: string
  created_at: string
}

export interface DeploymentRow {
  id: string
  organization_id: string
  project_id: string
  environment_id: string
  template_id: string
  type: string
  status: string
  deployer_email: string
  /** Id of the API key that created it. */
  requested_by: string
  /** Id of the agent token holding the lease. */
  claimed_by: string | null
  agent_name: string | null
  lease_expires_at: string | null
  /** The agent's key of the claim while `claimed` (src/platform/queue.ts; migration 0009). */
  claim_key: string | null
  cancel_requested: number
  /** The AWS credential of the claim (null before it, or without one). */
  credential_id: string | null
  /** The Azure credential of the claim (migration 0010). */
  azure_credential_id: string | null
  /** The GCP credential of the claim (migration 0010). */
  gcp_credential_id: string | null
  role_arn: string | null
  role_source: string | null
  assumed_role_arn: string | null
  message: string | null
  /** JSON: `{ code?, message, explanation? }` */
  failure: string | null
  /** JSON: `[{ index, name, status, exitCode }]` */
  steps: string
  /** JSON: the claims of the last token minted (never the token). */
  last_token_claims: string | null
  /** Number of log lines stored; the next line gets this sequence number + 1. */
  log_count: number
  /** JSON plan summary `{ add, change, destroy, replace, resources }` (migration 0006). */
  plan: string | null
  /** `plan|apply|task` while it runs (migration 0006). */
  run_phase: string | null
  /** JSON `{ decision, by, at }` once approved or rejected (migration 0006). */
  approval: string | null
  created_at: string
  updated_at: string
  claimed_at: string | null
  started_at: string | null
  finished_at: string | null
}

export interface DeploymentLogRow {
  deployment_id: string
  seq: number
  stream: string
  text: string
  time: string
}

export interface ApiKeyRow {
  id: string
  /** null for the installation owner key. */
  organization_id: string | null
  /** owner | admin | deployer | viewer */
  role: string
  email: string
  name: string | null
  /** SHA-256 (hex) of the key. */
  key_hash: string
  /** First characters of the key, for people to recognise it. */
  prefix: string
  created_at: string
  revoked_at: string | null
  last_used_at: string | null
}

export interface AgentTokenRow {
  id: string
  organization_id: string
  name: string
  token_hash: string
  prefix: string
  created_at: string
  revoked_at: string | null
  last_used_at: string | null
}

export interface AuditEventRow {
  id: string
  organization_id: string | null
  action: string
  /** owner | api-key | agent | system */
  actor_type: string
  actor_id: string | null
  actor_email: string | null
  deployment_id: string | null
  /** JSON object. */
  details: string
  created_at: string
}

export interface PlatformTables {
  organizations: OrganizationRow
  projects: ProjectRow
  templates: TemplateRow
  environments: EnvironmentRow
  variables: VariableRow
  credentials: CredentialRow
  credential_assignments: CredentialAssignmentRow
  deployments: DeploymentRow
  deployment_logs: DeploymentLogRow
  api_keys: ApiKeyRow
  agent_tokens: AgentTokenRow
  audit_events: AuditEventRow
}
