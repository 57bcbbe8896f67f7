import { z } from 'zod'

export const DEPLOYMENT_TYPES = ['deploy', 'destroy', 'plan', 'task'] as const
export const deploymentTypeSchema = z.enum(DEPLOYMENT_TYPES)
export type DeploymentType = z.infer<typeof deploymentTypeSchema>

/**
 * Deployment lifecycle: queued → claimed (an agent holds the lease) → running → succeeded |
 * failed | cancelled. A lease that expires while `claimed` puts it back to `queued`; one that
 * expires while `running` fails it with `agent lost` (never run twice). A Terraform deploy of an
 * environment that requires approval stops after its plan in `awaiting_approval`, then runs its
 * apply (approved) or ends `rejected`.
 */
export const DEPLOYMENT_STATUSES = [
  'queued',
  'claimed',
  'running',
  'awaiting_approval',
  'succeeded',
  'failed',
  'cancelled',
  'rejected',
] as const
export const deploymentStatusSchema = z.enum(DEPLOYMENT_STATUSES)
export type DeploymentStatus = z.infer<typeof deploymentStatusSchema>

export const FINISHED_STATUSES: ReadonlySet<DeploymentStatus> = new Set([
  'succeeded',
  'failed',
  'cancelled',
  'rejected',
])

/** Statuses in which a deployment holds its environment (one at a time, docs/state.md). */
export const ACTIVE_STATUSES: ReadonlySet<DeploymentStatus> = new Set([
  'claimed',
  'running',
  'awaiting_approval',
])

/** Phase of a run, in the token's `runPhase` claim and session tag (docs/state.md). */
export const RUN_PHASES = ['plan', 'apply', 'task'] as const
export const runPhaseSchema = z.enum(RUN_PHASES)
export type RunPhase = z.infer<typeof runPhaseSchema>

/** Who keeps a Terraform/OpenTofu template's state: keyless (`managed`) or the code (`template`). */
export const STATE_BACKENDS = ['managed', 'template'] as const
export const stateBackendSchema = z.enum(STATE_BACKENDS)
export type StateBackend = z.infer<typeof stateBackendSchema>

export const TEMPLATE_TYPES = ['custom', 'terraform', 'opentofu'] as const
export const templateTypeSchema = z.enum(TEMPLATE_TYPES)
export type TemplateType = z.infer<typeof templateTypeSchema>

export const ROLES = ['admin', 'deployer', 'viewer'] as const
export const roleSchema = z.enum(ROLES)
export type KeyRole = z.infer<typeof roleSchema>

/** Where a deployment's role ARN came from (recorded in the audit log). */
export const ROLE_SOURCES = [
  'credential',
  'plan-role',
  'environment-override',
  'variable:KEYLESS_AWS_ROLE_ARN',
  'variable:ENV0_AWS_ROLE_ARN',
] as const
export const roleSourceSchema = z.enum(ROLE_SOURCES)
export type RoleSource = z.infer<typeof roleSourceSchema>

/** The clouds a deployment can federate with; each has its credential type and its own token. */
export const CLOUDS = ['aws', 'azure', 'gcp'] as const
export const cloudSchema = z.enum(CLOUDS)
export type Cloud = z.infer<typeof cloudSchema>

export const CREDENTIAL_TYPES = ['aws-oidc', 'azure-oidc', 'gcp-oidc'] as const
export type CredentialType = (typeof CREDENTIAL_TYPES)[number]

/** The cloud of a credential type (`aws-oidc` → `aws`). */
export function cloudOfType(type: CredentialType): Cloud {
  return type === 'azure-oidc' ? 'azure' : type === 'gcp-oidc' ? 'gcp' : 'aws'
}
