import { z } from 'zod'

/** A page of a keyset-paged list (`?cursor=` takes `nextCursor`). */

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() })
}
