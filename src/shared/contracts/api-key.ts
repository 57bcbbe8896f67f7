import { z } from 'zod'
import { roleSchema } from './common.js'

/** An API key (without its secret, which is shown once on creation). */

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
