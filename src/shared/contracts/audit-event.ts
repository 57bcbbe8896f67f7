import { z } from 'zod'

/** One entry of the audit log. */

export const auditEventSchema = z.object({
  id: z.string(),
  organizationId: z.string().nullable(),
  action: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  /** The actor's name: the agent token's name for an agent, the API key's name (if any) for a key. */
  actorName: z.string().nullable(),
  deploymentId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
})
export type AuditEvent = z.infer<typeof auditEventSchema>
