import { recordAudit } from '../audit.js'
import type { PlatformContext, Tx } from '../context.js'
import { notFound, type Principal } from '../principal.js'
import type { Credentialed } from './touch.js'
import { inOrganization } from '../in-organization.js'

/** What differs between revoking an API key and an agent token. */
export interface RevokeSpec<Row> {
  readonly table: Credentialed
  /** In the not-found message: `API key`, `agent token`. */
  readonly noun: string
  readonly action: 'api_key.revoked' | 'agent_token.revoked'
  readonly details: (row: Row) => Record<string, unknown>
  /** The organization's row with that id (undefined when there is none). */
  readonly load: (db: Tx, organizationId: string, id: string) => Promise<Row | undefined>
}

/**
 * Revokes an API key or an agent token of an organization (admin): sets `revoked_at` once and
 * audits it; revoking again answers the same revoked row. Returns the row as revoked.
 */
export async function revokeSecret<Row extends { readonly revoked_at: string | null }>(
  ctx: PlatformContext,
  principal: Principal,
  organizationId: string,
  id: string,
  spec: RevokeSpec<Row>,
): Promise<Row> {
  return inOrganization(ctx, principal, organizationId, 'admin', async (trx, org) => {
    const row = await spec.load(trx, org.id, id)
    if (row === undefined) throw notFound(spec.noun, id)
    if (row.revoked_at !== null) return row
    const next = { ...row, revoked_at: ctx.now() }
    await trx
      .updateTable(spec.table)
      .set({ revoked_at: next.revoked_at })
      .where('id', '=', id)
      .execute()
    await recordAudit(ctx, trx, principal, {
      action: spec.action,
      organizationId: org.id,
      details: spec.details(row),
    })
    return next
  })
}
