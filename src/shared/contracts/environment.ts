import { z } from 'zod'

/** An environment: one deployable instance of a template in a project. */

export const environmentSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  projectId: z.string(),
  templateId: z.string(),
  name: z.string(),
  roleArnOverride: z.string().nullable(),
  /** A Terraform deploy stops after its plan (`awaiting_approval`) until approved or rejected. */
  requiresApproval: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Environment = z.infer<typeof environmentSchema>
