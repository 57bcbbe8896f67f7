import { sql, type ExpressionBuilder } from 'kysely'
import { ACTIVE_STATUSES } from '../shared/contracts/common.js'
import type { WaitingFor } from '../shared/contracts/plan.js'
import type { DeploymentRow } from '../store/platform-tables.js'
import type { Database } from '../store/schema.js'
import type { PlatformContext, Tx } from './context.js'

/**
 * One deployment at a time per environment (docs/state.md): a queued deployment may be handed
 * out only when it is the oldest queued one of its environment, no deployment of that
 * environment is claimed, running or awaiting approval, and the environment's state is not
 * locked (a lock left by a deployment that ended — `agent lost` — stays until an admin
 * force-unlocks it). Environments are independent: they run in parallel, each in queue order.
 *
 * Race-freedom: on SQLite every transaction is serialized. On PostgreSQL a claimer first takes
 * a transaction-scoped advisory lock on the candidate's environment (`pg_try_advisory_xact_lock`,
 * skipping environments another claimer is working on), then checks the rules again in a new
 * statement — which, under READ COMMITTED, sees every claim committed before the lock was
 * granted — and only then claims.
 */

const ACTIVE = [...ACTIVE_STATUSES]

type Eb = ExpressionBuilder<Database, 'deployments'>

/** The rules above, as a condition on the `deployments` row under consideration. */
function eligible(eb: Eb) {
  return eb.and([
    eb.not(
      eb.exists(
        eb
          .selectFrom('deployments as other')
          .select('other.id')
          .whereRef('other.environment_id', '=', 'deployments.environment_id')
          .where('other.status', 'in', ACTIVE),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('deployments as older')
          .select('older.id')
          .whereRef('older.environment_id', '=', 'deployments.environment_id')
          .where('older.status', '=', 'queued')
          .where((o) =>
            o.or([
              o('older.created_at', '<', o.ref('deployments.created_at')),
              o.and([
                o('older.created_at', '=', o.ref('deployments.created_at')),
                o('older.id', '<', o.ref('deployments.id')),
              ]),
            ]),
          ),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('state_locks')
          .select('state_locks.environment_id')
          .whereRef('state_locks.environment_id', '=', 'deployments.environment_id'),
      ),
    ),
  ])
}

/** Queued deployments of the organization that may run now, oldest first. */
export async function claimable(
  db: Tx,
  organizationId: string,
  limit = 16,
): Promise<Array<{ id: string; environment_id: string }>> {
  return db
    .selectFrom('deployments')
    .select(['id', 'environment_id'])
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'queued')
    .where(eligible)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute()
}

/**
 * Takes the candidate's environment for this transaction and checks the rules again; false when
 * another claimer holds the environment or the deployment may no longer run.
 */
export async function holdEnvironment(
  ctx: PlatformContext,
  db: Tx,
  candidate: { id: string; environment_id: string },
): Promise<boolean> {
  if (ctx.store.dialect === 'postgres') {
    const key = `keyless:environment:${candidate.environment_id}`
    const got = await sql<{
      held: boolean
    }>`SELECT pg_try_advisory_xact_lock(hashtext(${key})) AS held`.execute(db)
    if (got.rows[0]?.held !== true) return false
  }
  const still = await db
    .selectFrom('deployments')
    .select('id')
    .where('id', '=', candidate.id)
    .where('status', '=', 'queued')
    .where(eligible)
    .executeTakeFirst()
  return still !== undefined
}

/** Why a queued deployment waits, or null when it is next to be handed out. */
export async function waitingFor(db: Tx, row: DeploymentRow): Promise<WaitingFor | null> {
  if (row.status !== 'queued') return null
  const active = await db
    .selectFrom('deployments')
    .select(['id', 'status'])
    .where('environment_id', '=', row.environment_id)
    .where('status', 'in', ACTIVE)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst()
  if (active !== undefined)
    return {
      reason: 'environment_busy',
      deploymentId: active.id,
      message: `environment busy with ${active.id} (${active.status.replace('_', ' ')})`,
    }
  const lock = await db
    .selectFrom('state_locks')
    .leftJoin('deployments', 'deployments.id', 'state_locks.deployment_id')
    .select(['state_locks.deployment_id', 'deployments.status', 'deployments.message'])
    .where('state_locks.environment_id', '=', row.environment_id)
    .executeTakeFirst()
  if (lock !== undefined) {
    const how = lock.message ?? lock.status ?? 'ended'
    return {
      reason: 'state_locked',
      deploymentId: lock.deployment_id,
      message:
        `state locked by ${lock.deployment_id} (${how}) — an admin force-unlocks it with ` +
        `DELETE /api/v1/environments/${row.environment_id}/state/lock once that run is known to be gone`,
    }
  }
  const older = await db
    .selectFrom('deployments')
    .select('id')
    .where('environment_id', '=', row.environment_id)
    .where('status', '=', 'queued')
    .where((o) =>
      o.or([
        o('created_at', '<', row.created_at),
        o.and([o('created_at', '=', row.created_at), o('id', '<', row.id)]),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    // executeTakeFirst reads every row it is given: the oldest is enough.
    .limit(1)
    .executeTakeFirst()
  if (older !== undefined)
    return {
      reason: 'environment_busy',
      deploymentId: older.id,
      message: `queued behind ${older.id} of the same environment`,
    }
  return null
}
