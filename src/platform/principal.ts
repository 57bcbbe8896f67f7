import { KeylessError } from '../shared/errors.js'
import type { KeyRole } from '../shared/contracts/common.js'

/**
 * Who is asking. The owner key (docs/architecture.md §9) acts in every organization; an API key in
 * its own organization with its role; an agent token only through the agent API.
 */
export type Principal =
  | { readonly kind: 'owner'; readonly id: string; readonly email: string }
  | {
      readonly kind: 'api-key'
      readonly id: string
      readonly organizationId: string
      readonly role: KeyRole
      readonly email: string
    }
  | {
      readonly kind: 'agent'
      readonly id: string
      readonly organizationId: string
      readonly name: string
    }
  | { readonly kind: 'system' }

const RANK: Readonly<Record<KeyRole, number>> = { viewer: 0, deployer: 1, admin: 2 }

/** Whether the principal can see objects of this organization at all. */
export function canSee(principal: Principal, organizationId: string): boolean {
  switch (principal.kind) {
    case 'owner':
    case 'system':
      return true
    case 'api-key':
    case 'agent':
      return principal.organizationId === organizationId
  }
}

export function notFound(what: string, id: string): KeylessError {
  return new KeylessError('not_found', `${what} ${id} not found`, { id })
}

/**
 * Checks that the principal may act with at least `role` in the organization. An object of an
 * organization the principal cannot see is reported as not found (no existence leak).
 */
export function requireRole(
  principal: Principal,
  organizationId: string,
  role: KeyRole,
  what: string,
  id: string,
): void {
  if (!canSee(principal, organizationId)) throw notFound(what, id)
  if (principal.kind === 'owner' || principal.kind === 'system') return
  if (principal.kind === 'agent')
    throw new KeylessError('forbidden', 'agent tokens may only use the agent API')
  if (RANK[principal.role] < RANK[role])
    throw new KeylessError(
      'forbidden',
      `this action needs the ${role} role; the key has the ${principal.role} role`,
    )
}

export function requireOwner(principal: Principal): void {
  if (principal.kind !== 'owner' && principal.kind !== 'system')
    throw new KeylessError('forbidden', 'only the installation owner key may do this')
}

export function actorOf(principal: Principal): {
  actor_type: string
  actor_id: string | null
  actor_email: string | null
} {
  switch (principal.kind) {
    case 'owner':
      return { actor_type: 'owner', actor_id: principal.id, actor_email: principal.email }
    case 'api-key':
      return { actor_type: 'api-key', actor_id: principal.id, actor_email: principal.email }
    case 'agent':
      return { actor_type: 'agent', actor_id: principal.id, actor_email: null }
    case 'system':
      return { actor_type: 'system', actor_id: null, actor_email: null }
  }
}
