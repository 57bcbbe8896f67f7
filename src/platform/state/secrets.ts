import { newSecret } from '../../shared/ids.js'
import { hashSecret } from '../access.js'
import type { PlatformContext, Tx } from '../context.js'

/** Statuses in which a deployment holds its environment (and its state secret works). */
export const ACTIVE_STATUSES = ['claimed', 'running', 'awaiting_approval'] as const

/** Who writes state: the deployment whose secret was presented. */
export interface StateWriter {
  readonly kind: 'deployment'
  readonly deploymentId: string
  readonly environmentId: string
  readonly organizationId: string
  readonly deployerEmail: string
}

/** Basic-auth user name of the state backend (the password is the deployment's state secret). */
export const STATE_USERNAME = 'keyless'

/**
 * Issues the deployment's state secret (at claim; a re-claim after a requeue replaces it). Only
 * its hash is stored; the secret goes to the agent once, in the claim answer.
 */
export async function issueStateSecret(
  ctx: PlatformContext,
  db: Tx,
  deploymentId: string,
  environmentId: string,
): Promise<string> {
  const secret = newSecret(32)
  const row = {
    deployment_id: deploymentId,
    environment_id: environmentId,
    secret_hash: hashSecret(secret),
    created_at: ctx.now(),
  }
  await db
    .insertInto('state_secrets')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('deployment_id')
        .doUpdateSet({ secret_hash: row.secret_hash, created_at: row.created_at }),
    )
    .execute()
  return secret
}

/**
 * The deployment a state secret belongs to, when it is valid for this environment right now:
 * the same environment, and the deployment still claimed, running or awaiting approval.
 */
export async function authenticateStateSecret(
  ctx: PlatformContext,
  environmentId: string,
  secret: string,
): Promise<StateWriter | null> {
  const row = await ctx.db
    .selectFrom('state_secrets')
    .innerJoin('deployments', 'deployments.id', 'state_secrets.deployment_id')
    .select([
      'deployments.id',
      'deployments.environment_id',
      'deployments.organization_id',
      'deployments.deployer_email',
      'deployments.status',
    ])
    .where('state_secrets.secret_hash', '=', hashSecret(secret))
    .executeTakeFirst()
  if (row === undefined || row.environment_id !== environmentId) return null
  if (!(ACTIVE_STATUSES as readonly string[]).includes(row.status)) return null
  return {
    kind: 'deployment',
    deploymentId: row.id,
    environmentId: row.environment_id,
    organizationId: row.organization_id,
    deployerEmail: row.deployer_email,
  }
}

/** A deployment that ends normally releases its lock (an `agent lost` one keeps it). */
export async function releaseLocksOf(db: Tx, deploymentId: string): Promise<void> {
  await db.deleteFrom('state_locks').where('deployment_id', '=', deploymentId).execute()
}
