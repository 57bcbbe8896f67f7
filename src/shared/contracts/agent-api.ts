import { z } from 'zod'
import {
  cloudSchema,
  deploymentStatusSchema,
  deploymentTypeSchema,
  roleSourceSchema,
  runPhaseSchema,
  stateBackendSchema,
  templateTypeSchema,
} from './common.js'
import { planSummarySchema } from './plan.js'
import { azureFieldsSchema, gcpFieldsSchema } from './credential.js'

/**
 * The agent API (`/agent/v1`, docs/architecture.md §9), shared by the control plane (which
 * validates requests and responses with these schemas) and the agent (which sends them). Auth:
 * `Authorization: Bearer <agent token>`. An agent only ever sees its own organization's
 * deployments.
 */

/** A claim key: 16–64 characters of `A–Z a–z 0–9 _ -` (e.g. 128 random bits, base64url). */
export const claimKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/u, 'must be 16 to 64 characters of A-Z, a-z, 0-9, _ and -')

/** `POST /agent/v1/claim` request. Long poll: waits up to `waitSeconds` for a deployment. */
export const claimRequestSchema = z.strictObject({
  waitSeconds: z.number().int().min(0).max(30).default(20),
  /** Agent instance id (for `claimedBy`); free text up to 128 chars. */
  agentName: z.string().max(128).optional(),
  /**
   * Makes the claim idempotent: a fresh random key per claim attempt, sent again unchanged when
   * the attempt got no answer. While the deployment it claimed is still `claimed` by this agent
   * token (and `agentName`, if given), the same key answers that deployment again instead of
   * claiming new work (docs/deployments.md).
   */
  claimKey: claimKeySchema.optional(),
})
export type ClaimRequest = z.input<typeof claimRequestSchema>

/**
 * `POST /agent/v1/claim/release` request: the agent gives up the claim attempt with this key (it
 * is stopping and never got the answer). A deployment still `claimed` by this agent token with
 * this key (and `agentName`, if given) is queued again at once.
 */
export const releaseClaimRequestSchema = z.strictObject({
  claimKey: claimKeySchema,
  agentName: z.string().max(128).optional(),
})
export type ReleaseClaimRequest = z.input<typeof releaseClaimRequestSchema>

export const agentStepSchema = z.object({ name: z.string(), run: z.string() })

export const agentTemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: templateTypeSchema,
  /** `custom` templates: the commands to run, in order, each a shell command. */
  steps: z.array(agentStepSchema),
  /** Where the template's files are: a local directory or a git repository (URL + ref). */
  path: z.string().nullable(),
  repository: z.object({ url: z.string(), ref: z.string().nullable() }).nullable(),
  /**
   * Terraform/OpenTofu: `managed` — the runner adds `terraform { backend "http" {} }` and the
   * `TF_HTTP_*` variables of the environment's state backend; `template` — the code's own backend.
   * Absent means `managed`.
   */
  stateBackend: stateBackendSchema.optional(),
})

export const agentVariableSchema = z.object({
  name: z.string(),
  value: z.string(),
  sensitive: z.boolean(),
})

export const agentCredentialSchema = z.object({
  id: z.string(),
  type: z.literal('aws-oidc'),
  /** The role to assume after overrides (see shared/resolve-role.ts). */
  roleArn: z.string(),
  roleSource: roleSourceSchema,
  /** The credential's role for the plan phase of a Terraform deploy (docs/state.md). */
  planRoleArn: z.string().nullable().optional(),
  durationSeconds: z.number().int(),
  region: z.string(),
  stsEndpoint: z.string().nullable(),
  sessionTags: z.boolean(),
  refresh: z.boolean(),
})

/** An Azure credential as the runner uses it (docs/azure.md). */
export const agentAzureCredentialSchema = z.object({
  id: z.string(),
  type: z.literal('azure-oidc'),
  ...azureFieldsSchema.shape,
})
export type AgentAzureCredential = z.infer<typeof agentAzureCredentialSchema>

/** A GCP credential as the runner uses it (docs/gcp.md); endpoints are resolved. */
export const agentGcpCredentialSchema = z.object({
  id: z.string(),
  type: z.literal('gcp-oidc'),
  ...gcpFieldsSchema.shape,
  /** Google STS's base URL, e.g. `https://sts.googleapis.com`. */
  stsEndpoint: z.string(),
  /** IAM Credentials' base URL, e.g. `https://iamcredentials.googleapis.com`. */
  iamCredentialsEndpoint: z.string(),
})
export type AgentGcpCredential = z.infer<typeof agentGcpCredentialSchema>

export const agentDeploymentSchema = z.object({
  id: z.string(),
  type: deploymentTypeSchema,
  status: deploymentStatusSchema,
  organizationId: z.string(),
  organizationName: z.string(),
  projectId: z.string(),
  projectName: z.string(),
  environmentId: z.string(),
  environmentName: z.string(),
  deployerEmail: z.string(),
  template: agentTemplateSchema,
  /** Effective variables, nearest scope wins; sensitive values included (the agent masks them). */
  variables: z.array(agentVariableSchema),
  /** null when no credential is assigned to the project (the deployment runs without AWS). */
  credential: agentCredentialSchema.nullable(),
  /** Set when the role could not be resolved (e.g. a variable that is not a role ARN). */
  credentialError: z.string().nullable(),
  /** The project's Azure credential, if any (its token has its own audience). */
  azure: agentAzureCredentialSchema.nullable().optional(),
  /** The project's GCP credential, if any (its token has its own audience). */
  gcp: agentGcpCredentialSchema.nullable().optional(),
  /**
   * Password of the environment's state backend (user `keyless`), valid while this deployment
   * runs; null when the deployment does not use keyless's state backend. Mask it in logs.
   */
  statePassword: z.string().nullable().optional(),
  /**
   * Terraform/OpenTofu `deploy` and `destroy`: stop after the plan (report `awaiting_approval`)
   * and apply the saved plan only once approved (docs/state.md).
   */
  requiresApproval: z.boolean().optional(),
})
export type AgentDeployment = z.infer<typeof agentDeploymentSchema>

/** `200` answer to a claim; `204` (no body) when nothing was queued within the wait. */
export const claimResponseSchema = z.object({
  deployment: agentDeploymentSchema,
  leaseExpiresAt: z.string(),
  /** How long each renewal holds; agents measure it on their own clock (skew-proof). */
  leaseSeconds: z.number().int().positive().optional(),
})
export type ClaimResponse = z.infer<typeof claimResponseSchema>

/** `POST /agent/v1/deployments/{id}/heartbeat` → renews the lease. 409 when the lease is lost. */
export const heartbeatResponseSchema = z.object({
  leaseExpiresAt: z.string(),
  cancelRequested: z.boolean(),
  /** The deployment's status (`awaiting_approval` until approved, then `running`). */
  status: deploymentStatusSchema.optional(),
})
export type HeartbeatResponse = z.infer<typeof heartbeatResponseSchema>

/** `POST /agent/v1/deployments/{id}/logs` → 204. Lines are already masked by the runner. */
export const logLineSchema = z.object({
  stream: z.enum(['stdout', 'stderr', 'system']),
  text: z.string().max(64 * 1024),
  time: z.string().optional(),
})
export const appendLogsRequestSchema = z.strictObject({
  lines: z.array(logLineSchema).min(1).max(1000),
  /**
   * Sequence number of the first line (1 for a deployment's first). With it a batch sent again
   * (its answer was lost) is stored once: lines the control plane already has are skipped. A
   * batch that would leave a gap is refused (409 conflict). Without it lines are appended.
   */
  firstSeq: z.number().int().min(1).optional(),
})
export type LogLine = z.infer<typeof logLineSchema>

export const stepStatusSchema = z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped'])

/**
 * `POST /agent/v1/deployments/{id}/status`. `running` starts the deployment (claimed → running);
 * `succeeded|failed|cancelled` finish it. `step` reports one step's progress. Answers
 * `200 { deployment }` with the REST deployment resource.
 */
export const statusRequestSchema = z.strictObject({
  /**
   * `awaiting_approval`: the plan is saved and the environment requires approval; the agent keeps
   * the plan and heartbeats until the heartbeat says `running` (approved) or answers 409 (rejected).
   */
  status: z.enum(['running', 'awaiting_approval', 'succeeded', 'failed', 'cancelled']),
  message: z
    .string()
    .max(16 * 1024)
    .optional(),
  step: z
    .strictObject({
      index: z.number().int().min(0),
      name: z.string().max(256),
      status: stepStatusSchema,
      exitCode: z.number().int().nullable().optional(),
    })
    .optional(),
  /**
   * With `running`: the agent accepted the deployment but has not started any step. A lease that
   * runs out now requeues the deployment; after a `running` report without it (sent just before
   * the first step) the deployment fails `agent lost` instead (it may have run in part).
   */
  beforeSteps: z.boolean().optional(),
  /** Terraform/OpenTofu: the plan summary, once the plan was saved (docs/state.md). */
  plan: planSummarySchema.optional(),
  /** The assumed-role ARN AWS returned, once credentials were obtained. */
  assumedRoleArn: z.string().max(2048).optional(),
  /** On failure: what went wrong in words a person can act on (see issue 5 point 4). */
  failure: z
    .strictObject({
      code: z.string().max(256).optional(),
      message: z.string().max(16 * 1024),
      explanation: z.array(z.string().max(4096)).max(200).optional(),
    })
    .optional(),
})
export type StatusRequest = z.infer<typeof statusRequestSchema>

/** `POST /agent/v1/deployments/{id}/oidc-token` → a fresh token for a running deployment. */
export const tokenResponseSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
})
export type TokenResponse = z.infer<typeof tokenResponseSchema>

/**
 * `POST /agent/v1/deployments/{id}/oidc-token` body: the run phase the token is for, and the cloud
 * (default `aws`): each cloud's token carries its credential's audience and subject.
 */
export const tokenRequestSchema = z.strictObject({
  runPhase: runPhaseSchema.optional(),
  cloud: cloudSchema.optional(),
})
