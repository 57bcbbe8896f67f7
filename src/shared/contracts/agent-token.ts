import { z } from 'zod'

/** An agent token (without its secret, which is shown once on creation). */

export const agentTokenSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
})
export type AgentToken = z.infer<typeof agentTokenSchema>
export const newAgentTokenSchema = agentTokenSchema.extend({ token: z.string() })
export type NewAgentToken = z.infer<typeof newAgentTokenSchema>
