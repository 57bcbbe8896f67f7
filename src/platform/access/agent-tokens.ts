import { z } from 'zod'
import {
  AGENT_SEEN_WINDOW_SECONDS,
  type AgentPresence,
  type AgentToken,
  type NewAgentToken,
} from '../../shared/contracts/resources.js'
import { newSecret } from '../../shared/ids.js'
import { recordAudit } from '../audit.js'
import { sortableId, type PlatformContext } from '../context.js'
import { loadOrganization } from '../lookup.js'
import { keysetPage, listQuerySchema, type Page, type PageRequest } from '../pagination.js'
import { requireRole, type Principal } from '../principal.js'
import { toAgentToken } from '../resources.js'
import { nameSchema, parseInput } from '../validation.js'
import type { AgentTokenRow } from '../../store/platform-tables.js'
import { revokeSecret } from './revoke.js'
import { AGENT_TOKEN_PREFIX, hashSecret } from './secrets.js'
import { touchLastUsed } from './touch.js'
import { inOrganization } from '../in-organization.js'

export const createAgentTokenSchema = z.strictObject({ name: nameSchema })
export type CreateAgentTokenInput = z.input<typeof createAgentTokenSchema>

/** Agent tokens of self-hosted agents: created (shown once, stored hashed), listed, revoked. */
export function agentTokensService(ctx: PlatformContext) {
  /** The principal of an agent token (agent API), or null when unknown or revoked. */
  async function authenticate(secret: string): Promise<Principal | null> {
    const row = await ctx.db
      .selectFrom('agent_tokens')
      .selectAll()
      .where('token_hash', '=', hashSecret(secret))
      .executeTakeFirst()
    if (row === undefined || row.revoked_at !== null) return null
    await touchLastUsed(ctx, 'agent_tokens', row.id, row.last_used_at)
    return { kind: 'agent', id: row.id, organizationId: row.organization_id, name: row.name }
  }

  async function create(
    principal: Principal,
    organizationId: string,
    input: CreateAgentTokenInput,
  ): Promise<NewAgentToken> {
    const data = parseInput(createAgentTokenSchema, input)
    return inOrganization(ctx, principal, organizationId, 'admin', async (trx, org) => {
      const token = `${AGENT_TOKEN_PREFIX}${newSecret(32)}`
      const row = {
        id: sortableId('agt', ctx.clock),
        organization_id: org.id,
        name: data.name,
        token_hash: hashSecret(token),
        prefix: token.slice(0, 9),
        created_at: ctx.now(),
        revoked_at: null,
        last_used_at: null,
      }
      await trx.insertInto('agent_tokens').values(row).execute()
      await recordAudit(ctx, trx, principal, {
        action: 'agent_token.created',
        organizationId: org.id,
        details: { agentTokenId: row.id, name: row.name },
      })
      return { ...toAgentToken(row), token }
    })
  }

  async function list(
    principal: Principal,
    organizationId: string,
    page: PageRequest = {},
  ): Promise<Page<AgentToken>> {
    const q = parseInput(listQuerySchema, page, 'query')
    const org = await loadOrganization(ctx.db, principal, organizationId)
    requireRole(principal, org.id, 'admin', 'organization', organizationId)
    const select = ctx.db
      .selectFrom('agent_tokens')
      .selectAll()
      .where('organization_id', '=', org.id)
    return keysetPage(select, q, 'asc', toAgentToken)
  }

  async function revoke(
    principal: Principal,
    organizationId: string,
    tokenId: string,
  ): Promise<AgentToken> {
    const row = await revokeSecret<AgentTokenRow>(ctx, principal, organizationId, tokenId, {
      table: 'agent_tokens',
      noun: 'agent token',
      action: 'agent_token.revoked',
      details: (r) => ({ agentTokenId: tokenId, name: r.name }),
      load: (db, orgId, id) =>
        db
          .selectFrom('agent_tokens')
          .selectAll()
          .where('id', '=', id)
          .where('organization_id', '=', orgId)
          .executeTakeFirst(),
    })
    return toAgentToken(row)
  }

  /** Which agents serve the organization: tokens used within the window (any role may ask). */
  async function presence(principal: Principal, organizationId: string): Promise<AgentPresence> {
    const org = await loadOrganization(ctx.db, principal, organizationId)
    requireRole(principal, org.id, 'viewer', 'organization', organizationId)
    const rows = await ctx.db
      .selectFrom('agent_tokens')
      .select(['id', 'name', 'last_used_at'])
      .where('organization_id', '=', org.id)
      .where('revoked_at', 'is', null)
      .where('last_used_at', 'is not', null)
      .orderBy('last_used_at', 'desc')
      .limit(100)
      .execute()
    const since = ctx.clock.now().getTime() - AGENT_SEEN_WINDOW_SECONDS * 1000
    const agents = rows.map((r) => ({
      tokenId: r.id,
      name: r.name,
      lastSeenAt: r.last_used_at ?? '',
      recent: Date.parse(r.last_used_at ?? '') >= since,
    }))
    return {
      organizationId: org.id,
      serving: agents.some((a) => a.recent),
      windowSeconds: AGENT_SEEN_WINDOW_SECONDS,
      agents,
    }
  }

  return { authenticate, create, list, revoke, presence }
}
