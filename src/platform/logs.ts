import { z } from 'zod'
import { appendLogsRequestSchema, type LogLine } from '../shared/contracts/agent-api.js'
import { KeylessError } from '../shared/errors.js'
import { inTransaction, type PlatformContext } from './context.js'
import { loadDeployment } from './lookup.js'
import type { Principal } from './principal.js'
import { toLogEntry } from './resources.js'
import { type LogEntry } from '../shared/contracts/resources.js'
import { parseInput } from './validation.js'

export const logQuerySchema = z.strictObject({
  /** Only lines with a sequence number above this one. */
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(10000).optional(),
  format: z.enum(['json', 'sse']).optional(),
})

export function logsService(ctx: PlatformContext) {
  return {
    /**
     * Appends lines (agent API). Each gets the next sequence number of its deployment, which
     * SSE clients use to resume (`Last-Event-ID`). Only the agent holding the deployment.
     */
    async append(
      principal: Principal,
      deploymentId: string,
      input: { lines: LogLine[] },
    ): Promise<{ lastSeq: number }> {
      const data = parseInput(appendLogsRequestSchema, input)
      const lastSeq = await inTransaction(ctx, async (trx) => {
        let select = trx.selectFrom('deployments').selectAll().where('id', '=', deploymentId)
        if (ctx.store.dialect === 'postgres') select = select.forUpdate()
        const row = await select.executeTakeFirst()
        if (
          row === undefined ||
          principal.kind !== 'agent' ||
          row.organization_id !== principal.organizationId
        )
          throw new KeylessError('not_found', `deployment ${deploymentId} not found`, {
            id: deploymentId,
          })
        if (row.claimed_by !== principal.id)
          throw new KeylessError(
            'lease_lost',
            `this agent does not hold deployment ${deploymentId}`,
          )
        const now = ctx.now()
        const lines = unseen(row.log_count, data.firstSeq, data.lines, deploymentId)
        if (lines.length === 0) return row.log_count
        const values = lines.map((line, i) => ({
          deployment_id: deploymentId,
          seq: row.log_count + i + 1,
          stream: line.stream,
          // PostgreSQL text cannot hold NUL; processes may print one.
          text: line.text.replaceAll('\u0000', '\uFFFD'),
          time: line.time ?? now,
        }))
        await trx.insertInto('deployment_logs').values(values).execute()
        const last = row.log_count + values.length
        await trx
          .updateTable('deployments')
          .set({ log_count: last })
          .where('id', '=', deploymentId)
          .execute()
        return last
      })
      ctx.events.emit('deployment', deploymentId)
      return { lastSeq }
    },

    /** Stored lines after `after` (REST: any key that can see the deployment). */
    async list(
      principal: Principal,
      deploymentId: string,
      query: { after?: number | string; limit?: number | string } = {},
    ): Promise<LogEntry[]> {
      const q = parseInput(logQuerySchema, query, 'query')
      const row = await loadDeployment(ctx.db, principal, deploymentId)
      return readLines(ctx, row.id, q.after ?? 0, q.limit ?? 10000)
    },
  }
}

/**
 * The lines of a batch the deployment does not have yet: a batch sent again after its answer was
 * lost starts at or below the stored count and only its tail (if any) is new.
 */
function unseen(
  stored: number,
  firstSeq: number | undefined,
  lines: LogLine[],
  deploymentId: string,
): LogLine[] {
  if (firstSeq === undefined) return lines
  if (firstSeq > stored + 1)
    throw new KeylessError(
      'conflict',
      `deployment ${deploymentId} has ${stored} log lines; a batch starting at line ${firstSeq} would leave a gap`,
      { stored, firstSeq },
    )
  return lines.slice(stored + 1 - firstSeq)
}

export async function readLines(
  ctx: PlatformContext,
  deploymentId: string,
  afterSeq: number,
  limit: number,
): Promise<LogEntry[]> {
  const rows = await ctx.db
    .selectFrom('deployment_logs')
    .selectAll()
    .where('deployment_id', '=', deploymentId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute()
  return rows.map(toLogEntry)
}
