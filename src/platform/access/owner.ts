import { z } from 'zod'
import { newSecret } from '../../shared/ids.js'
import { recordAudit } from '../audit.js'
import { inTransaction, type PlatformContext, type Tx } from '../context.js'
import { emailSchema, parseInput } from '../validation.js'
import { API_KEY_PREFIX, hashSecret, OWNER_KEY_ID } from './secrets.js'

/** Owner keys given through KEYLESS_ADMIN_KEY must be long enough to be unguessable. */
const presetKeySchema = z.string().min(24, 'must be at least 24 characters').max(512)

/**
 * On an empty store, creates the installation owner key (docs/architecture.md §9): the given
 * one (KEYLESS_ADMIN_KEY) or a new random one. Returns the key only when it was created now.
 */
export async function bootstrapOwner(
  ctx: PlatformContext,
  options: { key?: string | undefined; email: string },
): Promise<{ created: boolean; key: string | null; id: string }> {
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
}
