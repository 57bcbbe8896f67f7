import { z } from 'zod'
import { sortableId, type PlatformContext, type Tx } from './context.js'
import type { AuditEventRow } from '../store/platform-tables.js'
import { keysetPage, pageQueryShape, type Page } from './pagination.js'
import { actorOf, requireRole, type Principal } from './principal.js'
import { toAuditEvent } from './resources.js'
import type { AuditAction } from '../shared/contracts/audit-action.js'
import { type AuditEvent } from '../shared/contracts/resources.js'
import { parseInput } from './validation.js'
import { prepared } from './prepared.js'
import { loadOrganization } from './lookup.js'

export interface AuditEntry {
  readonly action: AuditAction
  readonly organizationId: string | null
  readonly deploymentId?: string | null
  readonly details?: Readonly<Record<string, unknown>>
}

/** Writes one audit event, inside the caller's transaction when given one. */
export async function recordAudit(
  ctx: PlatformContext,
  db: Tx,
  principal: Principal,
  entry: AuditEntry,
): Promise<void> {
  const { query, args } = auditStatement(ctx, principal, entry)
  await query(db, args, ctx.db)
}

/** The INSERT of one audit event as a statement (for a batch written together). */
export function auditStatement(
  ctx: PlatformContext,
  principal: Principal,
  entry: AuditEntry,
): { readonly query: typeof insertAudit; readonly args: readonly unknown[] } {
  const actor = actorOf(principal)
  return {
    query: insertAudit,
    args: [
      sortableId('aud', ctx.clock),
      entry.organizationId,
      entry.action,
      actor.actor_type,
      actor.actor_id,
      actor.actor_email,
      entry.deploymentId ?? null,
      JSON.stringify(entry.details ?? {}),
      ctx.now(),
    ],
  }
}

const insertAudit = prepared((db, slot) =>
  db.insertInto('audit_events').values({
    id: slot(0),
    organization_id: slot(1),
    action: slot(2),
    actor_type: slot(3),
    actor_id: slot(4),
    actor_email: slot(5),
    deployment_id: slot(6),
    details: slot(7),
    created_at: slot(8),
  }),
)

export const auditQuerySchema = z.strictObject({
  action: z.string().max(128).optional(),
  deploymentId: z.string().max(64).optional(),
  ...pageQueryShape,
})
export type AuditQuery = z.input<typeof auditQuerySchema>

/**
 * The names of the agent tokens and API keys that acted in these events (revoked ones too), so
 * that the log says which agent or which key, not only its id.
 */
async function actorNames(db: Tx, rows: readonly AuditEventRow[]): Promise<Map<string, string>> {
  const ids = (type: string): string[] => [
    ...new Set(
      rows.filter((r) => r.actor_type === type && r.actor_id !== null).map((r) => r.actor_id ?? ''),
    ),
  ]
  const agents = ids('agent')
  const keys = ids('api-key')
  const names = new Map<string, string>()
  if (agents.length > 0)
    for (const t of await db
      .selectFrom('agent_tokens')
      .select(['id', 'name'])
      .where('id', 'in', agents)
      .execute())
      names.set(t.id, t.name)
  if (keys.length > 0)
    for (const k of await db
      .selectFrom('api_keys')
      .select(['id', 'name'])
      .where('id', 'in', keys)
      .execute())
      if (k.name !== null) names.set(k.id, k.name)
  return names
}

export function auditService(ctx: PlatformContext) {
  return {
    /** The organization's audit log, newest first. Needs the admin role. */
    async list(
      principal: Principal,
      organizationId: string,
      query: AuditQuery = {},
    ): Promise<Page<AuditEvent>> {
      const q = parseInput(auditQuerySchema, query, 'query')
      const org = await loadOrganization(ctx.db, principal, organizationId)
      requireRole(principal, org.id, 'admin', 'organization', org.id)
      let select = ctx.db
        .selectFrom('audit_events')
        .selectAll()
        .where('organization_id', '=', org.id)
      if (q.action !== undefined) select = select.where('action', '=', q.action)
      if (q.deploymentId !== undefined) select = select.where('deployment_id', '=', q.deploymentId)
      const found = await keysetPage(select, q, 'desc', (r) => r)
      const names = await actorNames(ctx.db, found.items)
      return {
        items: found.items.map((r) => toAuditEvent(r, names.get(r.actor_id ?? '') ?? null)),
        nextCursor: found.nextCursor,
      }
    },
  }
}
