import { z } from 'zod'

/**
 * The plan summary of a Terraform/OpenTofu deployment (docs/state.md), read by the runner from
 * `terraform show -json <planfile>`. `add`, `change` and `destroy` count as Terraform's own
 * "Plan:" line does (a replacement counts in both `add` and `destroy`); `replace` counts
 * replacements. Resources without a change (`no-op`) and data sources read (`read`) are listed
 * but not counted.
 */
export const PLAN_ACTIONS = ['create', 'update', 'delete', 'replace', 'read', 'no-op'] as const
export const planActionSchema = z.enum(PLAN_ACTIONS)
export type PlanAction = z.infer<typeof planActionSchema>

export const planResourceSchema = z.object({
  address: z.string().max(4096),
  action: planActionSchema,
})

/** At most this many resources are kept in a summary (the counts stay exact). */
export const PLAN_RESOURCES_MAX = 2000

export const planSummarySchema = z.object({
  add: z.number().int().min(0),
  change: z.number().int().min(0),
  destroy: z.number().int().min(0),
  replace: z.number().int().min(0),
  resources: z.array(planResourceSchema).max(PLAN_RESOURCES_MAX),
})
export type PlanSummary = z.infer<typeof planSummarySchema>

/** What an approver decided on an `awaiting_approval` deployment. */
export const approvalSchema = z.object({
  decision: z.enum(['approved', 'rejected']),
  /** Email of the key that decided. */
  by: z.string(),
  at: z.string(),
  comment: z.string().nullable(),
})
export type Approval = z.infer<typeof approvalSchema>

/** `POST /api/v1/deployments/{id}/approve|reject` body (optional). */
export const approvalRequestSchema = z.strictObject({
  comment: z.string().max(1024).optional(),
})
export type ApprovalRequest = z.input<typeof approvalRequestSchema>

/**
 * Why a queued deployment has not been handed to an agent yet: another deployment of its
 * environment holds it, or a deployment that ended (`agent lost`) left the state locked.
 */
export const waitingForSchema = z.object({
  reason: z.enum(['environment_busy', 'state_locked']),
  /** The deployment holding the environment or the lock. */
  deploymentId: z.string(),
  /** In words, with what to do when it needs a person. */
  message: z.string(),
})
export type WaitingFor = z.infer<typeof waitingForSchema>
