import { z } from 'zod'

/** An organization: the tenant that owns projects, templates, credentials and keys. */

export const organizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  audience: z.string(),
  subjectTemplate: z.string(),
  previousSubjectTemplate: z.string().nullable(),
  mintingStopped: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Organization = z.infer<typeof organizationSchema>
