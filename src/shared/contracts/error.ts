import { z } from 'zod'

/** The error body of the REST and agent APIs: `{ "error": { "code", "message", "details" } }`. */
export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
})
export type ErrorResponse = z.infer<typeof errorResponseSchema>
