import { roleSchema } from '../../shared/contracts/common.js'
import type { ApiKeyRow } from '../../store/platform-tables.js'
import type { Principal } from '../principal.js'

/**
 * The principal an API key acts as: the installation owner (no organization) or a key of one
 * organization with its role. A row whose role is not a known role (a damaged store) acts as
 * nobody.
 */
export function keyPrincipal(row: ApiKeyRow): Principal | null {
  if (row.organization_id === null) return { kind: 'owner', id: row.id, email: row.email }
  const role = roleSchema.safeParse(row.role)
  if (!role.success) return null
  return {
    kind: 'api-key',
    id: row.id,
    organizationId: row.organization_id,
    role: role.data,
    email: row.email,
  }
}
