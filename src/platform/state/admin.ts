import { z } from 'zod'
import type {
  StateLock,
  StateOutputs,
  StateResources,
  StateVersion,
} from '../../shared/contracts/state.js'
import { KeylessError } from '../../shared/errors.js'
import type { StateLocksTable } from '../../store/migrations/0004_state.js'
import { recordAudit } from '../audit.js'
import { inTransaction, type PlatformContext, type Tx } from '../context.js'
import { limitOf, type Page } from '../pagination.js'
import type { Principal } from '../principal.js'
import { notifyQueued } from '../queue-notify.js'
import { parseInput } from '../validation.js'
import { outputsOf, parseState, resourcesOf, sha256Hex, withSerial } from './document.js'
import { sealAad, sealState } from './seal.js'
import { ACTIVE_STATUSES } from './secrets.js'
import {
  checkReader,
  latestVersion,
  lockOf,
  versionBody,
  VERSION_META_COLUMNS,
  type VersionMeta,
} from './store.js'

export const listVersionsSchema = z.strictObject({
  /** The serial after which the page starts (the last serial of the previous page). */
  cursor: z
    .string()
    .regex(/^\d{1,10}$/u, 'is not a cursor returned by this list')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
})
export type ListVersionsQuery = z.input<typeof listVersionsSchema>

function toVersion(r: VersionMeta): StateVersion {
  return {
    serial: r.serial,
    lineage: r.lineage,
    size: r.size,
    sha256: r.sha256,
    deploymentId: r.deployment_id,
    createdBy: r.created_by,
    restoredFrom: r.restored_from,
    createdAt: r.created_at,
  }
}

async function toLock(db: Tx, lock: StateLocksTable): Promise<StateLock> {
  const holder = await db
    .selectFrom('deployments')
    .select('status')
    .where('id', '=', lock.deployment_id)
    .executeTakeFirst()
  return {
    lockId: lock.lock_id,
    info: JSON.parse(lock.info) as Record<string, unknown>,
    deploymentId: lock.deployment_id,
    deploymentStatus: holder?.status ?? 'unknown',
    createdAt: lock.created_at,
  }
}

/** What people do with an environment's state through API keys (docs/state.md). */
export function stateAdminService(ctx: PlatformContext) {
  async function latestParsed(principal: Principal, environmentId: string) {
    await checkReader(ctx.db, principal, environmentId, 'viewer')
    const latest = await versionBody(ctx, ctx.db, environmentId, 'latest')
    return latest === undefined
      ? undefined
      : { meta: latest.meta, head: parseState(latest.body).head }
  }

  return {
    /** Versions, newest first (admin). */
    async listVersions(
      principal: Principal,
      environmentId: string,
      query: ListVersionsQuery = {},
    ): Promise<Page<StateVersion>> {
      const q = parseInput(listVersionsSchema, query, 'query')
      await checkReader(ctx.db, principal, environmentId)
      const limit = limitOf(q)
      let select = ctx.db
        .selectFrom('state_versions')
        .select(VERSION_META_COLUMNS)
        .where('environment_id', '=', environmentId)
      if (q.cursor !== undefined) select = select.where('serial', '<', Number(q.cursor))
      const rows = await select
        .orderBy('serial', 'desc')
        .limit(limit + 1)
        .execute()
      const kept = rows.slice(0, limit)
      const last = kept[kept.length - 1]
      return {
        items: kept.map(toVersion),
        nextCursor: rows.length > limit && last !== undefined ? String(last.serial) : null,
      }
    },

    /** One version's state, as it was written (admin). */
    async download(principal: Principal, environmentId: string, serial: number): Promise<Buffer> {
      await checkReader(ctx.db, principal, environmentId)
      const found = await versionBody(ctx, ctx.db, environmentId, serial)
      if (found === undefined)
        throw new KeylessError(
          'state_version_not_found',
          `environment ${environmentId} has no state version ${serial}`,
          { serial },
        )
      return found.body
    },

    /**
     * Writes an old version again as the next serial (admin, audited). Refused while the state is
     * locked or a deployment holds the environment.
     */
    async restore(
      principal: Principal,
      environmentId: string,
      serial: number,
    ): Promise<StateVersion> {
      const { organizationId } = await checkReader(ctx.db, principal, environmentId)
      const [found, latest] = await Promise.all([
        versionBody(ctx, ctx.db, environmentId, serial),
        latestVersion(ctx.db, environmentId),
      ])
      if (found === undefined || latest === undefined)
        throw new KeylessError(
          'state_version_not_found',
          `environment ${environmentId} has no state version ${serial}`,
          { serial },
        )
      const next = latest.serial + 1
      const bytes = withSerial(found.body, next)
      const sealed = await sealState(ctx.stateKey, sealAad(environmentId, next), bytes)
      const by =
        principal.kind === 'owner' || principal.kind === 'api-key' ? principal.email : 'system'
      return inTransaction(ctx, async (trx) => {
        const lock = await lockOf(trx, environmentId)
        if (lock !== undefined)
          throw new KeylessError(
            'state_locked',
            `the state is locked by deployment ${lock.deployment_id}; restore refused`,
            { lockId: lock.lock_id },
          )
        const active = await trx
          .selectFrom('deployments')
          .select(['id', 'status'])
          .where('environment_id', '=', environmentId)
          .where('status', 'in', [...ACTIVE_STATUSES])
          .executeTakeFirst()
        if (active !== undefined)
          throw new KeylessError(
            'invalid_state',
            `deployment ${active.id} is ${active.status} on this environment; restore refused`,
            { deploymentId: active.id },
          )
        const row = {
          environment_id: environmentId,
          organization_id: organizationId,
          serial: next,
          lineage: found.meta.lineage,
          size: bytes.length,
          sha256: sha256Hex(bytes),
          deployment_id: null,
          created_by: by,
          restored_from: serial,
          body: sealed,
          created_at: ctx.now(),
        }
        const inserted = await trx
          .insertInto('state_versions')
          .values(row)
          .onConflict((oc) => oc.columns(['environment_id', 'serial']).doNothing())
          .executeTakeFirst()
        if (inserted.numInsertedOrUpdatedRows === 0n)
          throw new KeylessError(
            'state_serial_conflict',
            `another write stored serial ${next} first; try again`,
          )
        await recordAudit(ctx, trx, principal, {
          action: 'state.restored',
          organizationId,
          details: { environmentId, restoredFrom: serial, serial: next, sha256: row.sha256 },
        })
        return toVersion(row)
      })
    },

    /** Removes the lock whoever holds it (admin, audited): for a deployment lost with its agent. */
    async forceUnlock(principal: Principal, environmentId: string): Promise<StateLock> {
      const { organizationId } = await checkReader(ctx.db, principal, environmentId)
      const released = await inTransaction(ctx, async (trx) => {
        const lock = await lockOf(trx, environmentId)
        if (lock === undefined)
          throw new KeylessError(
            'invalid_state',
            `the state of environment ${environmentId} is not locked`,
          )
        const released = await toLock(trx, lock)
        await trx
          .deleteFrom('state_locks')
          .where('environment_id', '=', environmentId)
          .where('lock_id', '=', lock.lock_id)
          .execute()
        await recordAudit(ctx, trx, principal, {
          action: 'state.force_unlocked',
          organizationId,
          deploymentId: lock.deployment_id,
          details: {
            environmentId,
            lockId: lock.lock_id,
            holderStatus: released.deploymentStatus,
            info: released.info,
          },
        })
        await notifyQueued(ctx, trx, organizationId)
        return released
      })
      // The environment's next queued deployment may run now.
      ctx.events.emit('queued', organizationId)
      return released
    },

    /** The lock, if any (viewer). */
    async lockStatus(
      principal: Principal,
      environmentId: string,
    ): Promise<{ lock: StateLock | null }> {
      await checkReader(ctx.db, principal, environmentId, 'viewer')
      const lock = await lockOf(ctx.db, environmentId)
      return { lock: lock === undefined ? null : await toLock(ctx.db, lock) }
    },

    /** Outputs of the latest state, sensitive values masked (viewer). */
    async outputs(principal: Principal, environmentId: string): Promise<StateOutputs> {
      const latest = await latestParsed(principal, environmentId)
      if (latest === undefined) return { serial: null, lineage: null, outputs: [] }
      return {
        serial: latest.meta.serial,
        lineage: latest.meta.lineage,
        outputs: outputsOf(latest.head),
      }
    },

    /** Resource addresses of the latest state (viewer). */
    async resources(principal: Principal, environmentId: string): Promise<StateResources> {
      const latest = await latestParsed(principal, environmentId)
      if (latest === undefined) return { serial: null, resources: [] }
      return { serial: latest.meta.serial, resources: resourcesOf(latest.head) }
    },
  }
}
