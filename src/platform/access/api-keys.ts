import { z } from 'zod'
import { roleSchema } from '../../shared/contracts/common.js'
import type { ApiKey, NewApiKey } from '../../shared/contracts/resources.js'
import { newSecret } from '../../shared/ids.js'
import { recordAudit } from '../audit.js'
import { sortableId, type PlatformContext } from '../context.js'
import { loadOrganization } from '../lookup.js'
import { keysetPage, listQuerySchema, type Page, type PageRequest } from '../pagination.js'
import { requireRole, type Principal } from '../principal.js'
import { toApiKey } from '../resources.js'
import { emailSchema, nameSchema, parseInput } from '../validation.js'
import type { ApiKeyRow } from '../../store/platform-tables.js'
import { revokeSecret } from './revoke.js'
import { keyPrincipal } from './roles.js'
import { API_KEY_PREFIX, hashSecret } from './secrets.js'
import { touchLastUsed } from './touch.js'
import { inOrganization } from '../in-organization.js'

export const createApiKeySchema = z.strictObject({
  role: roleSchema,
  email: emailSchema,
  name: nameSchema.optional(),
})
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>

/** How long an authenticated API key is remembered in memory (see `authenticate`). */
export const KEY_CACHE_TTL_MS = 5000
const KEY_CACHE_MAX = 10_000

interface CachedKey {
  readonly keyId: string
  readonly principal: Principal
  readonly expiresAt: number
  lastUsed: string | null
}

/**
 * Authenticated API keys by key hash, for KEY_CACHE_TTL_MS: a request then costs no read. Only
 * known, unrevoked keys are kept (a new key works at once). A revocation through this process
 * drops the key at once; other replicas sharing the database stop accepting it within the TTL.
 * `revocations` counts revocations, so that a lookup that raced one is not cached.
 */
function keyCache() {
  const entries = new Map<string, CachedKey>()
  let revocations = 0
  return {
    get: (hash: string): CachedKey | undefined => entries.get(hash),
    drop: (hash: string): boolean => entries.delete(hash),
    generation: (): number => revocations,
    remember(hash: string, entry: CachedKey, generation: number): void {
      if (generation !== revocations) return
      if (entries.size >= KEY_CACHE_MAX) entries.clear()
      entries.set(hash, entry)
    },
    forget(keyId: string): void {
      revocations++
      for (const [hash, entry] of entries) if (entry.keyId === keyId) entries.delete(hash)
    },
  }
}

/** Organization API keys: created (shown once, stored hashed), listed, revoked, authenticated. */
export function apiKeysService(ctx: PlatformContext) {
  const cache = keyCache()

  /** The principal of an API key (REST API), or null when unknown or revoked. */
  async function authenticate(secret: string): Promise<Principal | null> {
    if (!secret.startsWith(API_KEY_PREFIX) && secret.length < 24) return null
    const hash = hashSecret(secret)
    const now = ctx.clock.now().getTime()
    const cached = cache.get(hash)
    if (cached !== undefined) {
      if (cached.expiresAt > now) {
        cached.lastUsed = await touchLastUsed(ctx, 'api_keys', cached.keyId, cached.lastUsed)
        return cached.principal
      }
      cache.drop(hash)
    }
    const generation = cache.generation()
    const row = await ctx.db
      .selectFrom('api_keys')
      .selectAll()
      .where('key_hash', '=', hash)
      .executeTakeFirst()
    if (row === undefined || row.revoked_at !== null) return null
    const principal = keyPrincipal(row)
    if (principal === null) return null
    const lastUsed = await touchLastUsed(ctx, 'api_keys', row.id, row.last_used_at)
    const entry = { keyId: row.id, principal, expiresAt: now + KEY_CACHE_TTL_MS, lastUsed }
    cache.remember(hash, entry, generation)
    return principal
  }

  /** A new organization API key; the key itself is returned once, only its hash is kept. */
  async function create(
    principal: Principal,
    organizationId: string,
    input: CreateApiKeyInput,
  ): Promise<NewApiKey> {
    const data = parseInput(createApiKeySchema, input)
    return inOrganization(ctx, principal, organizationId, 'admin', async (trx, org) => {
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
  }

  async function list(
    principal: Principal,
    organizationId: string,
    page: PageRequest = {},
  ): Promise<Page<ApiKey>> {
    const q = parseInput(listQuerySchema, page, 'query')
    const org = await loadOrganization(ctx.db, principal, organizationId)
    requireRole(principal, org.id, 'admin', 'organization', organizationId)
    const select = ctx.db.selectFrom('api_keys').selectAll().where('organization_id', '=', org.id)
    return keysetPage(select, q, 'asc', toApiKey)
  }

  /** Revokes the key; the cache forgets it before and after, so no request races it back. */
  async function revoke(
    principal: Principal,
    organizationId: string,
    keyId: string,
  ): Promise<ApiKey> {
    cache.forget(keyId)
    try {
      const row = await revokeSecret<ApiKeyRow>(ctx, principal, organizationId, keyId, {
        table: 'api_keys',
        noun: 'API key',
        action: 'api_key.revoked',
        details: (r) => ({ keyId, email: r.email }),
        load: (db, orgId, id) =>
          db
            .selectFrom('api_keys')
            .selectAll()
            .where('id', '=', id)
            .where('organization_id', '=', orgId)
            .executeTakeFirst(),
      })
      return toApiKey(row)
    } finally {
      cache.forget(keyId)
    }
  }

  return { authenticate, create, list, revoke }
}
