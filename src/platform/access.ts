import { createHash } from 'node:crypto'
import { z } from 'zod'
import { roleSchema } from '../shared/contracts/common.js'
import { newSecret } from '../shared/ids.js'
import { recordAudit } from './audit.js'
import { inTransaction, sortableId, type PlatformContext, type Tx } from './context.js'
import { loadOrganization } from './lookup.js'
import { listQuerySchema } from './organizations.js'
import { after, decodeCursor, limitOf, toPage, type Page, type PageRequest } from './pagination.js'
import { notFound, requireRole, type Principal } from './principal.js'
import { toAgentToken, toApiKey } from './resources.js'
import {
  type AgentToken,
  type ApiKey,
  type NewAgentToken,
  type NewApiKey,
} from '../shared/contracts/resources.js'
import { emailSchema, nameSchema, parseInput } from './validation.js'

/**
 * Secrets are stored as SHA-256 hashes. A key is 256 random bits, so a fast hash is enough: no
 * dictionary or brute-force search can find a preimage, and a slow password hash (bcrypt,
 * argon2) would only cost time on every request. Lookup is by hash (unique index).
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

export const API_KEY_PREFIX = 'kl_'
/** Id of the bootstrap owner key (docs/architecture.md §9). */
export const OWNER_KEY_ID = 'key_owner'
export const AGENT_TOKEN_PREFIX = 'kla_'

export const createApiKeySchema = z.strictObject({
  role: roleSchema,
  email: emailSchema,
  name: nameSchema.optional(),
})
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>

export const createAgentTokenSchema = z.strictObject({ name: nameSchema })
export type CreateAgentTokenInput = z.input<typeof createAgentTokenSchema>

/** Owner keys given through KEYLESS_ADMIN_KEY must be long enough to be unguessable. */
const presetKeySchema = z.string().min(24, 'must be at least 24 characters').max(512)

/** How long an authenticated API key is remembered in memory (see `authenticateKey`). */
export const KEY_CACHE_TTL_MS = 5000
const KEY_CACHE_MAX = 10_000

interface CachedKey {
  readonly keyId: string
  readonly principal: Principal
  readonly expiresAt: number
  lastUsed: string | null
}

/**
 * Access: API keys and agent tokens (created, listed, revoked; stored hashed), authentication of
 * both, and the bootstrap owner key.
 */
export function accessService(ctx: PlatformContext) {
  /**
   * Updates `last_used_at` at most once a minute, so auth costs one read per request. Returns
   * the `last_used_at` now stored.
   */
  async function touch(
    table: 'api_keys' | 'agent_tokens',
    id: string,
    lastUsed: string | null,
  ): Promise<string | null> {
    const now = ctx.clock.now()
    if (lastUsed !== null && now.getTime() - Date.parse(lastUsed) < 60_000) return lastUsed
    const at = now.toISOString()
    await ctx.db.updateTable(table).set({ last_used_at: at }).where('id', '=', id).execute()
    return at
  }

  /**
   * Authenticated API keys by key hash, for KEY_CACHE_TTL_MS: a request then costs no read.
   * Only known, unrevoked keys are kept (a new key works at once). A revocation through this
   * process drops the key at once; other replicas sharing the database stop accepting it within
   * the TTL. `revocations` counts revocations, so that a lookup that raced one is not cached.
   */
  const keyCache = new Map<string, CachedKey>()
  let revocations = 0
  function forgetKey(keyId: string): void {
    revocations++
    for (const [hash, entry] of keyCache) if (entry.keyId === keyId) keyCache.delete(hash)
  }

  async function revokeKey(
    principal: Principal,
    organizationId: string,
    keyId: string,
  ): Promise<ApiKey> {
    return inTransaction(ctx, async (trx) => {
      const org = await loadOrganization(trx, principal, organizationId)
      requireRole(principal, org.id, 'admin', 'organization', organizationId)
      const row = await trx
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', keyId)
        .where('organization_id', '=', org.id)
        .executeTakeFirst()
      if (row === undefined) throw notFound('API key', keyId)
      const next = { ...row, revoked_at: row.revoked_at ?? ctx.now() }
      if (row.revoked_at === null) {
        await trx
          .updateTable('api_keys')
          .set({ revoked_at: next.revoked_at })
          .where('id', '=', keyId)
          .execute()
        await recordAudit(ctx, trx, principal, {
          action: 'api_key.revoked',
          organizationId: org.id,
          details: { keyId, email: row.email },
        })
      }
      return toApiKey(next)
    })
  }

  return {
    /** The principal of an API key (REST API), or null when unknown or revoked. */
    authenticateKey: async (secret: string): Promise<Principal | null> => {
      if (!secret.startsWith(API_KEY_PREFIX) && secret.length < 24) return null
      const hash = hashSecret(secret)
      const now = ctx.clock.now().getTime()
      const cached = keyCache.get(hash)
      if (cached !== undefined) {
        if (cached.expiresAt > now) {
          cached.lastUsed = await touch('api_keys', cached.keyId, cached.lastUsed)
          return cached.principal
        }
        keyCache.delete(hash)
      }
      const seen = revocations
      const row = await ctx.db
        .selectFrom('api_keys')
        .selectAll()
        .where('key_hash', '=', hash)
        .executeTakeFirst()
      if (row === undefined || row.revoked_at !== null) return null
      const lastUsed = await touch('api_keys', row.id, row.last_used_at)
      const principal: Principal =
        row.organization_id === null
          ? { kind: 'owner', id: row.id, email: row.email }
          : {
              kind: 'api-key',
              id: row.id,
              organizationId: row.organization_id,
              role: row.role as 'admin',
              email: row.email,
            }
      if (seen === revocations) {
        if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear()
        keyCache.set(hash, {
          keyId: row.id,
          principal,
          expiresAt: now + KEY_CACHE_TTL_MS,
          lastUsed,
        })
      }
      return principal
    },

    /** The principal of an agent token (agent API), or null when unknown or revoked. */
    authenticateAgent: async (secret: string): Promise<Principal | null> => {
      const row = await ctx.db
        .selectFrom('agent_tokens')
        .selectAll()
        .where('token_hash', '=', hashSecret(secret))
        .executeTakeFirst()
      if (row === undefined || row.revoked_at !== null) return null
      await touch('agent_tokens', row.id, row.last_used_at)
      return { kind: 'agent', id: row.id, organizationId: row.organization_id, name: row.name }
    },

    /**
     * On an empty store, creates the installation owner key (docs/architecture.md §9): the given
     * one (KEYLESS_ADMIN_KEY) or a new random one. Returns the key only when it was created now.
     */
    bootstrapOwner: async (options: {
      key?: string | undefined
      email: string
    }): Promise<{ created: boolean; key: string | null; id: string }> => {
      const email = parseInput(emailSchema, options.email, 'owner email', 'adminEmail')
      const preset =
        options.key === undefined
          ? undefined
          : parseInput(presetKeySchema, options.key, 'admin key', 'adminKey')
      const findOwner = (db: Tx) =>
        db
          .selectFrom('api_keys')
          .select(['id'])
          .where('role', '=', 'owner')
          .where('revoked_at', 'is', null)
          .executeTakeFirst()
      try {
        return await inTransaction(ctx, async (trx) => {
          const existing = await findOwner(trx)
          if (existing !== undefined) return { created: false, key: null, id: existing.id }
          const key = preset ?? `${API_KEY_PREFIX}${newSecret(32)}`
          // A fixed id: replicas starting together on an empty database cannot both create one.
          const id = OWNER_KEY_ID
          await trx
            .insertInto('api_keys')
            .values({
              id,
              organization_id: null,
              role: 'owner',
              email,
              name: 'bootstrap owner key',
              key_hash: hashSecret(key),
              prefix: key.slice(0, 8),
              created_at: ctx.now(),
              revoked_at: null,
              last_used_at: null,
            })
            .execute()
          await recordAudit(
            ctx,
            trx,
            { kind: 'system' },
            {
              action: 'owner_key.created',
              organizationId: null,
              details: { keyId: id, email, preset: preset !== undefined },
            },
          )
          return { created: true, key, id }
        })
      } catch (error) {
        const existing = await findOwner(ctx.db)
        if (existing !== undefined) return { created: false, key: null, id: existing.id }
        throw error
      }
    },

    apiKeys: {
      /** A new organization API key; the key itself is returned once, only its hash is kept. */
      async create(
        principal: Principal,
        organizationId: string,
        input: CreateApiKeyInput,
      ): Promise<NewApiKey> {
        const data = parseInput(createApiKeySchema, input)
        return inTransaction(ctx, async (trx) => {
          const org = await loadOrganization(trx, principal, organizationId)
          requireRole(principal, org.id, 'admin', 'organization', organizationId)
          const key = `${API_KEY_PREFIX}${newSecret(32)}`
          const row = {
            id: sortableId('key', ctx.clock),
            organization_id: org.id,
            role: data.role,
            email: data.email,
            name: data.name ?? null,
            key_hash: hashSecret(key),
            prefix: key.slice(0, 8),
            created_at: ctx.now(),
            revoked_at: null,
            last_used_at: null,
          }
          await trx.insertInto('api_keys').values(row).execute()
          await recordAudit(ctx, trx, principal, {
            action: 'api_key.created',
            organizationId: org.id,
            details: { keyId: row.id, role: row.role, email: row.email },
          })
          return { ...toApiKey(row), key }
        })
      },
      async list(
        principal: Principal,
        organizationId: string,
        page: PageRequest = {},
      ): Promise<Page<ApiKey>> {
        const q = parseInput(listQuerySchema, page, 'query')
        const org = await loadOrganization(ctx.db, principal, organizationId)
        requireRole(principal, org.id, 'admin', 'organization', organizationId)
        const limit = limitOf(q)
        const position = decodeCursor(q.cursor)
        let select = ctx.db.selectFrom('api_keys').selectAll().where('organization_id', '=', org.id)
        if (position !== undefined) select = select.where(after(position, 'asc'))
        const rows = await select
          .orderBy('created_at')
          .orderBy('id')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toApiKey)
      },
      async revoke(principal: Principal, organizationId: string, keyId: string): Promise<ApiKey> {
        forgetKey(keyId)
        try {
          return await revokeKey(principal, organizationId, keyId)
        } finally {
          forgetKey(keyId)
        }
      },
    },

    agentTokens: {
      async create(
        principal: Principal,
        organizationId: string,
        input: CreateAgentTokenInput,
      ): Promise<NewAgentToken> {
        const data = parseInput(createAgentTokenSchema, input)
        return inTransaction(ctx, async (trx) => {
          const org = await loadOrganization(trx, principal, organizationId)
          requireRole(principal, org.id, 'admin', 'organization', organizationId)
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
      },
      async list(
        principal: Principal,
        organizationId: string,
        page: PageRequest = {},
      ): Promise<Page<AgentToken>> {
        const q = parseInput(listQuerySchema, page, 'query')
        const org = await loadOrganization(ctx.db, principal, organizationId)
        requireRole(principal, org.id, 'admin', 'organization', organizationId)
        const limit = limitOf(q)
        const position = decodeCursor(q.cursor)
        let select = ctx.db
          .selectFrom('agent_tokens')
          .selectAll()
          .where('organization_id', '=', org.id)
        if (position !== undefined) select = select.where(after(position, 'asc'))
        const rows = await select
          .orderBy('created_at')
          .orderBy('id')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toAgentToken)
      },
      async revoke(
        principal: Principal,
        organizationId: string,
        tokenId: string,
      ): Promise<AgentToken> {
        return inTransaction(ctx, async (trx) => {
          const org = await loadOrganization(trx, principal, organizationId)
          requireRole(principal, org.id, 'admin', 'organization', organizationId)
          const row = await trx
            .selectFrom('agent_tokens')
            .selectAll()
            .where('id', '=', tokenId)
            .where('organization_id', '=', org.id)
            .executeTakeFirst()
          if (row === undefined) throw notFound('agent token', tokenId)
          const next = { ...row, revoked_at: row.revoked_at ?? ctx.now() }
          if (row.revoked_at === null) {
            await trx
              .updateTable('agent_tokens')
              .set({ revoked_at: next.revoked_at })
              .where('id', '=', tokenId)
              .execute()
            await recordAudit(ctx, trx, principal, {
              action: 'agent_token.revoked',
              organizationId: org.id,
              details: { agentTokenId: tokenId, name: row.name },
            })
          }
          return toAgentToken(next)
        })
      },
    },
  }
}
