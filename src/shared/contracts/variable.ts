import { z } from 'zod'

/** A variable at one of four scopes; sensitive values are write-only. */

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
