import type { KeyRole } from '../shared/contracts/common.js'
import type { OrganizationRow } from '../store/platform-tables.js'
import { inTransaction, type PlatformContext, type Tx } from './context.js'
import { loadOrganization } from './lookup.js'
import { requireRole, type Principal } from './principal.js'

/**
 * Runs `fn` in one transaction on an organization the principal holds `role` in (an organization
 * it cannot see is not found): how every create and revoke of an organization's objects starts.
 */
export function inOrganization<T>(
  ctx: PlatformContext,
  principal: Principal,
  organizationId: string,
  role: KeyRole,
  fn: (trx: Tx, org: OrganizationRow) => Promise<T>,
): Promise<T> {
  return inTransaction(ctx, async (trx) => {
    const org = await loadOrganization(trx, principal, organizationId)
    requireRole(principal, org.id, role, 'organization', organizationId)
    return fn(trx, org)
  })
}
