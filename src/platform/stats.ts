import { sql } from 'kysely'
import type { PlatformContext } from './context.js'

/** Installation-wide numbers for metrics (no principal: the metrics route guards its callers). */
export function statsService(ctx: PlatformContext) {
  return {
    /** How many deployments are in each status, across every organization. */
    async deploymentsByStatus(): Promise<Record<string, number>> {
      const rows = await ctx.db
        .selectFrom('deployments')
        .select(['status', sql<number | string>`count(*)`.as('count')])
        .groupBy('status')
        .execute()
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]))
    },
  }
}
