import { KeylessError } from '../../shared/errors.js'
import { recordAudit } from '../audit.js'
import { inTransaction, type PlatformContext, type Tx } from '../context.js'
import type { Principal } from '../principal.js'
import { parseLockInfo, parseState, type LockInfo } from './document.js'
import { sealAad, sealState } from './seal.js'
import { authenticateStateSecret, type StateWriter } from './secrets.js'
import { checkReader, latestVersion, lockOf, versionBody } from './store.js'

/** LOCK on a locked state: 423 with the holder's LockInfo (Terraform prints who holds it). */
export class StateLockedError extends KeylessError {
  readonly holder: Readonly<Record<string, unknown>>
  constructor(message: string, holder: Readonly<Record<string, unknown>>) {
    super('state_locked', message, { holder })
    this.name = 'StateLockedError'
    this.holder = holder
  }
}

export interface WriteOptions {
  /** `?ID=`: the lock the writer holds. */
  readonly lockId?: string | undefined
  /** `?force=true`: accept another lineage. */
  readonly force?: boolean
  readonly contentMd5?: string | undefined
}

function holderOf(info: string): Record<string, unknown> {
  return JSON.parse(info) as Record<string, unknown>
}

/**
 * A write or delete must match the lock: while locked, only with the holder's `?ID=` (none → 423,
 * another → 409); while unlocked, an `?ID=` means the writer believes it holds a lock it lost (409).
 */
async function checkWriteLock(
  db: Tx,
  writer: StateWriter,
  lockId: string | undefined,
): Promise<void> {
  const lock = await lockOf(db, writer.environmentId)
  if (lock === undefined) {
    if (lockId !== undefined)
      throw new KeylessError(
        'state_lock_mismatch',
        `the state is not locked, but the write names lock ${lockId}; nothing was written`,
      )
    return
  }
  if (lockId === undefined)
    throw new StateLockedError(
      `the state is locked (lock ${lock.lock_id}); a write must name the lock it holds`,
      holderOf(lock.info),
    )
  if (lockId !== lock.lock_id || lock.deployment_id !== writer.deploymentId)
    throw new KeylessError(
      'state_lock_mismatch',
      `the state is locked with another ID than ${lockId}; nothing was written`,
    )
}

/** Terraform's `http` backend for one environment (docs/state.md). */
export function stateBackendService(ctx: PlatformContext) {
  function sizeCheck(bytes: Buffer): void {
    if (bytes.length > ctx.stateMaxBytes)
      throw new KeylessError(
        'state_too_large',
        `the state is ${bytes.length} bytes, over the limit of ${ctx.stateMaxBytes} bytes (--state-max-bytes)`,
        { size: bytes.length, limit: ctx.stateMaxBytes },
      )
  }

  return {
    authenticate: (environmentId: string, secret: string) =>
      authenticateStateSecret(ctx, environmentId, secret),

    /** The latest state, or null when there is none yet (answered 204). */
    async read(reader: StateWriter | Principal, environmentId: string): Promise<Buffer | null> {
      await checkReader(ctx.db, reader, environmentId)
      return (await versionBody(ctx, ctx.db, environmentId, 'latest'))?.body ?? null
    },

    /** Stores a new version; bytes equal to the latest write nothing. */
    async write(
      writer: StateWriter,
      bytes: Buffer,
      options: WriteOptions = {},
    ): Promise<{ serial: number; written: boolean }> {
      sizeCheck(bytes)
      const parsed = parseState(bytes, options.contentMd5)
      const serial = parsed.head.serial
      const sealed = await sealState(ctx.stateKey, sealAad(writer.environmentId, serial), bytes)
      return inTransaction(ctx, async (trx) => {
        await checkWriteLock(trx, writer, options.lockId)
        const latest = await latestVersion(trx, writer.environmentId)
        if (latest?.sha256 === parsed.sha256) return { serial: latest.serial, written: false }
        if (
          latest !== undefined &&
          latest.lineage !== parsed.head.lineage &&
          options.force !== true
        )
          throw new KeylessError(
            'state_lineage_mismatch',
            `the state has lineage ${parsed.head.lineage} but the environment's state has lineage ${latest.lineage}; write with ?force=true to replace it`,
            { lineage: parsed.head.lineage, latestLineage: latest.lineage },
          )
        if (latest !== undefined && serial <= latest.serial)
          throw new KeylessError(
            'state_serial_conflict',
            `the state's serial ${serial} is not greater than the latest version's ${latest.serial}`,
            { serial, latestSerial: latest.serial },
          )
        const inserted = await trx
          .insertInto('state_versions')
          .values({
            environment_id: writer.environmentId,
            organization_id: writer.organizationId,
            serial,
            lineage: parsed.head.lineage,
            size: parsed.size,
            sha256: parsed.sha256,
            deployment_id: writer.deploymentId,
            created_by: writer.deployerEmail,
            restored_from: null,
            body: sealed,
            created_at: ctx.now(),
          })
          .onConflict((oc) => oc.columns(['environment_id', 'serial']).doNothing())
          .executeTakeFirst()
        if (inserted.numInsertedOrUpdatedRows === 0n)
          throw new KeylessError(
            'state_serial_conflict',
            `another write stored serial ${serial} first`,
            { serial },
          )
        return { serial, written: true }
      })
    },

    /** DELETE: drops every version of the environment (audited), under the same lock rules. */
    async remove(writer: StateWriter, options: WriteOptions = {}): Promise<void> {
      await inTransaction(ctx, async (trx) => {
        await checkWriteLock(trx, writer, options.lockId)
        await trx
          .deleteFrom('state_versions')
          .where('environment_id', '=', writer.environmentId)
          .execute()
        await recordAudit(
          ctx,
          trx,
          { kind: 'system' },
          {
            action: 'state.deleted',
            organizationId: writer.organizationId,
            deploymentId: writer.deploymentId,
            details: { environmentId: writer.environmentId },
          },
        )
      })
    },

    /** LOCK: takes the lock, or 423 with the holder's LockInfo. */
    async lock(writer: StateWriter, body: Buffer): Promise<LockInfo> {
      const info = parseLockInfo(body)
      const inserted = await ctx.db
        .insertInto('state_locks')
        .values({
          environment_id: writer.environmentId,
          organization_id: writer.organizationId,
          lock_id: info.ID,
          info: JSON.stringify(info),
          deployment_id: writer.deploymentId,
          created_at: ctx.now(),
        })
        .onConflict((oc) => oc.column('environment_id').doNothing())
        .executeTakeFirst()
      if (inserted.numInsertedOrUpdatedRows === 1n) return info
      const holder = await lockOf(ctx.db, writer.environmentId)
      // Released between the insert and the read: the caller retries, as Terraform does.
      const held = holder === undefined ? { ID: '' } : holderOf(holder.info)
      throw new StateLockedError(`the state is already locked (lock ${String(held['ID'])})`, held)
    },

    /** UNLOCK: releases the lock with this ID; another ID → 409; no lock → nothing to do. */
    async unlock(writer: StateWriter, body: Buffer): Promise<void> {
      const info = parseLockInfo(body)
      await inTransaction(ctx, async (trx) => {
        const lock = await lockOf(trx, writer.environmentId)
        if (lock === undefined) return
        if (lock.lock_id !== info.ID || lock.deployment_id !== writer.deploymentId)
          throw new KeylessError(
            'state_lock_mismatch',
            `the state is locked with another ID than ${info.ID}; the lock was kept`,
          )
        await trx
          .deleteFrom('state_locks')
          .where('environment_id', '=', writer.environmentId)
          .execute()
      })
    },
  }
}
