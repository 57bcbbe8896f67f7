import { z } from 'zod'

/** One line of a deployment's log. */

export const logEntrySchema = z.object({
  seq: z.number().int(),
  stream: z.enum(['stdout', 'stderr', 'system']),
  text: z.string(),
  time: z.string(),
})
export type LogEntry = z.infer<typeof logEntrySchema>
