import { z } from 'zod'

export const DEPLOYMENT_TYPES = ['deploy', 'destroy', 'plan', 'task'] as const
export const deploymentTypeSchema = z.enum(DEPLOYMENT_TYPES)
export type DeploymentType = z.infer<typeof deploymentTypeSchema>

/**
 * Deployment lifecycle: queued → claimed (an agent holds the lease) → running → succeeded |
 * failed | cancelled. A lease that expires while `claimed` puts it back to `queued`; one that
 * expires while `running` fails it with `agent lost` (never run twice).
 */
export const DEPLOYMENT_STATUSES = [
  'queued',
  'claimed',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const
export const deploymentStatusSchema = z.enum(DEPLOYMENT_STATUSES)
export type DeploymentStatus = z.infer<typeof deploymentStatusSchema>

export const FINISHED_STATUSES: ReadonlySet<DeploymentStatus> = new Set([
  'succeeded',
  'failed',
  'cancelled',
])

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
