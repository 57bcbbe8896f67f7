import { z } from 'zod'

/** One entry of the audit log. */

export const auditEventSchema = z.object({
  id: z.string(),
  organizationId: z.string().nullable(),
  action: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  deploymentId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
})
export type AuditEvent = z.infer<typeof auditEventSchema>
