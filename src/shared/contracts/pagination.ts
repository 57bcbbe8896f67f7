import { z } from 'zod'

/** Query parameters of every keyset-paged list (`?cursor=&limit=`, docs/architecture.md §9). */

export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 200

/** The `cursor` and `limit` fields, to spread into a list's own query schema. */
export const pageQueryShape = {
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).optional(),
}

/** A list without filters: only `cursor` and `limit`. */
export const listQuerySchema = z.strictObject({ ...pageQueryShape })
export type ListQuery = z.input<typeof listQuerySchema>
