import { z } from 'zod'
import { stateBackendSchema, templateTypeSchema } from './common.js'

/** A template: what a deployment runs (custom steps or a Terraform/OpenTofu directory). */

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
  /** Terraform/OpenTofu: `managed` (keyless's http backend, default) or `template` (the code's own). */
  stateBackend: stateBackendSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Template = z.infer<typeof templateSchema>
