import { KeylessError } from '../../shared/errors.js'
import type { StateLocksTable, StateVersionsTable } from '../../store/migrations/0004_state.js'
import type { PlatformContext, Tx } from '../context.js'
import { loadEnvironment } from '../lookup.js'
import { requireRole, type Principal } from '../principal.js'
import { openState, sealAad } from './seal.js'
import type { StateWriter } from './secrets.js'

/** Reads shared by the backend protocol and the admin routes. */

export type VersionMeta = Omit<StateVersionsTable, 'body'>

/** Every column of a version but its body. */
export const VERSION_META_COLUMNS = [
  'environment_id',
  'organization_id',
  'serial',
  'lineage',
  'size',
  'sha256',
  'deployment_id',
  'created_by',
  'restored_from',
  'created_at',
] as const satisfies ReadonlyArray<keyof VersionMeta>

export async function latestVersion(
  db: Tx,
  environmentId: string,
): Promise<VersionMeta | undefined> {
  return db
    .selectFrom('state_versions')
    .select(VERSION_META_COLUMNS)
    .where('environment_id', '=', environmentId)
    .orderBy('serial', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function lockOf(db: Tx, environmentId: string): Promise<StateLocksTable | undefined> {
  return db
    .selectFrom('state_locks')
    .selectAll()
    .where('environment_id', '=', environmentId)
    .executeTakeFirst()
}

/** The plaintext of one version, or undefined when there is none with this serial. */
export async function versionBody(
  ctx: PlatformContext,
  db: Tx,
  environmentId: string,
  serial: number | 'latest',
): Promise<{ meta: VersionMeta; body: Buffer } | undefined> {
  let select = db
    .selectFrom('state_versions')
    .selectAll()
    .where('environment_id', '=', environmentId)
  select =
    serial === 'latest'
      ? select.orderBy('serial', 'desc').limit(1)
      : select.where('serial', '=', serial)
  const row = await select.executeTakeFirst()
  if (row === undefined) return undefined
  const { body: sealed, ...meta } = row
  return { meta, body: await openState(ctx.stateKey, sealAad(environmentId, row.serial), sealed) }
}

/**
 * Checks who reads the state of an environment: the deployment whose secret it is (its own
 * environment only: checked at authentication), or an API key with the admin role (state holds
 * secrets; deployers and viewers get 403, other organizations 404).
 */
export async function checkReader(
  db: Tx,
  reader: StateWriter | Principal,
  environmentId: string,
  role: 'admin' | 'viewer' = 'admin',
): Promise<{ organizationId: string }> {
  if (reader.kind === 'deployment') {
    if (reader.environmentId !== environmentId)
      throw new KeylessError('unauthorized', 'the state password is not valid for this environment')
    return { organizationId: reader.organizationId }
  }
  const env = await loadEnvironment(db, reader, environmentId)
  requireRole(reader, env.organization_id, role, 'environment', environmentId)
  return { organizationId: env.organization_id }
}
