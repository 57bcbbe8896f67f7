import { z } from 'zod'
import { deploymentStatusSchema, deploymentTypeSchema } from '../shared/contracts/common.js'
import { KeylessError } from '../shared/errors.js'
import type { DeploymentRow } from '../store/platform-tables.js'
import { recordAudit } from './audit.js'
import { inTransaction, sortableId, type PlatformContext } from './context.js'
import { notifyQueued } from './queue-notify.js'
import { loadDeployment, loadEnvironment, loadOrganization } from './lookup.js'
import { keysetPage, pageQueryShape, type Page } from './pagination.js'
import { requireRole, type Principal } from './principal.js'
import { toDeployment } from './resources.js'
import { type Deployment } from '../shared/contracts/resources.js'
import { parseInput } from './validation.js'
import { columns, prepared } from './prepared.js'
import { waitingFor } from './queue-order.js'

const DEPLOYMENT_COLUMNS = columns<DeploymentRow>({
  id: true,
  organization_id: true,
  project_id: true,
  environment_id: true,
  template_id: true,
  type: true,
  status: true,
  deployer_email: true,
  requested_by: true,
  claimed_by: true,
  agent_name: true,
  lease_expires_at: true,
  claim_key: true,
  cancel_requested: true,
  credential_id: true,
  azure_credential_id: true,
  gcp_credential_id: true,
  role_arn: true,
  role_source: true,
  assumed_role_arn: true,
  message: true,
  failure: true,
  steps: true,
  last_token_claims: true,
  log_count: true,
  plan: true,
  run_phase: true,
  approval: true,
  created_at: true,
  updated_at: true,
  claimed_at: true,
  started_at: true,
  finished_at: true,
})

/** Arguments: the values of DEPLOYMENT_COLUMNS, in order. */
const insertDeployment = prepared((db, slot) =>
  db
    .insertInto('deployments')
    .values(
      Object.fromEntries(
        DEPLOYMENT_COLUMNS.map((c, i) => [c, slot(i)]),
      ) as unknown as DeploymentRow,
    ),
)

export const createDeploymentSchema = z.strictObject({
  type: deploymentTypeSchema.default('deploy'),
})
export type CreateDeploymentInput = z.input<typeof createDeploymentSchema>

export const listDeploymentsSchema = z.strictObject({
  environmentId: z.string().max(64).optional(),
  status: deploymentStatusSchema.optional(),
  ...pageQueryShape,
})
export type ListDeploymentsQuery = z.input<typeof listDeploymentsSchema>

export function emailOf(ctx: PlatformContext, principal: Principal): string {
  switch (principal.kind) {
    case 'owner':
    case 'api-key':
      return principal.email
    default:
      return ctx.ownerEmail
  }
}

export function deploymentsService(ctx: PlatformContext) {
  return {
    /** Queues a deployment of an environment; the deployer is the key's email. Deployer role. */
    async create(
      principal: Principal,
      environmentId: string,
      input: CreateDeploymentInput = {},
      /** The id to give it (`idempotentId` under an Idempotency-Key); default a new one. */
      id?: string,
    ): Promise<Deployment> {
      const data = parseInput(createDeploymentSchema, input ?? {})
      const row = await inTransaction(ctx, async (trx) => {
        const env = await loadEnvironment(trx, principal, environmentId)
        requireRole(principal, env.organization_id, 'deployer', 'environment', environmentId)
        const now = ctx.now()
        const row: DeploymentRow = {
          id: id ?? sortableId('dep', ctx.clock),
          organization_id: env.organization_id,
          project_id: env.project_id,
          environment_id: env.id,
          template_id: env.template_id,
          type: data.type,
          status: 'queued',
          deployer_email: emailOf(ctx, principal),
          requested_by: principal.kind === 'system' ? 'system' : principal.id,
          claimed_by: null,
          agent_name: null,
          lease_expires_at: null,
          claim_key: null,
          cancel_requested: 0,
          credential_id: null,
          azure_credential_id: null,
          gcp_credential_id: null,
          role_arn: null,
          role_source: null,
          assumed_role_arn: null,
          message: null,
          failure: null,
          steps: '[]',
          last_token_claims: null,
          log_count: 0,
          plan: null,
          run_phase: null,
          approval: null,
          created_at: now,
          updated_at: now,
          claimed_at: null,
          started_at: null,
          finished_at: null,
        }
        await insertDeployment(
          trx,
          DEPLOYMENT_COLUMNS.map((c) => row[c]),
          ctx.db,
        )
        await recordAudit(ctx, trx, principal, {
          action: 'deployment.created',
          organizationId: row.organization_id,
          deploymentId: row.id,
          details: { environmentId: env.id, type: row.type, deployerEmail: row.deployer_email },
        })
        await notifyQueued(ctx, trx, row.organization_id)
        return row
      })
      ctx.events.emit('queued', row.organization_id)
      ctx.events.emit('deployment', row.id)
      return toDeployment(row, await waitingFor(ctx.db, row))
    },

    async get(principal: Principal, id: string): Promise<Deployment> {
      const row = await loadDeployment(ctx.db, principal, id)
      return toDeployment(row, await waitingFor(ctx.db, row))
    },

    /** Like `get`, but undefined when there is no such deployment (for this principal). */
    async find(principal: Principal, id: string): Promise<Deployment | undefined> {
      try {
        const row = await loadDeployment(ctx.db, principal, id)
        return toDeployment(row, await waitingFor(ctx.db, row))
      } catch (error) {
        if (error instanceof KeylessError && error.code === 'not_found') return undefined
        throw error
      }
    },

    /** An organization's deployments, newest first, filtered by environment and status. */
    async list(
      principal: Principal,
      organizationId: string,
      query: ListDeploymentsQuery = {},
    ): Promise<Page<Deployment>> {
      const q = parseInput(listDeploymentsSchema, query, 'query')
      const org = await loadOrganization(ctx.db, principal, organizationId)
      requireRole(principal, org.id, 'viewer', 'organization', organizationId)
      let select = ctx.db
        .selectFrom('deployments')
        .selectAll()
        .where('organization_id', '=', org.id)
      if (q.environmentId !== undefined)
        select = select.where('environment_id', '=', q.environmentId)
      if (q.status !== undefined) select = select.where('status', '=', q.status)
      const found = await keysetPage(select, q, 'desc', (r) => r)
      const items: Deployment[] = []
      for (const r of found.items)
        items.push(toDeployment(r, r.status === 'queued' ? await waitingFor(ctx.db, r) : null))
      return { items, nextCursor: found.nextCursor }
    },

    /**
     * Cancels a deployment. Queued or claimed (not started): cancelled at once. Running: the
     * agent is told through its next heartbeat (`cancelRequested`) and reports `cancelled`.
     * Finished: 409.
     */
    async cancel(principal: Principal, id: string): Promise<Deployment> {
      const row = await inTransaction(ctx, async (trx) => {
        const row = await loadDeployment(trx, principal, id)
        requireRole(principal, row.organization_id, 'deployer', 'deployment', id)
        const now = ctx.now()
        let next: DeploymentRow
        if (row.status === 'queued' || row.status === 'claimed') {
          next = {
            ...row,
            status: 'cancelled',
            cancel_requested: 1,
            finished_at: now,
            updated_at: now,
            lease_expires_at: null,
            message: 'cancelled before it started',
          }
          const result = await trx
            .updateTable('deployments')
            .set({
              status: next.status,
              cancel_requested: 1,
              finished_at: now,
              updated_at: now,
              lease_expires_at: null,
              message: next.message,
            })
            .where('id', '=', id)
            .where('status', '=', row.status)
            .executeTakeFirst()
          if (result.numUpdatedRows === 0n)
            throw new KeylessError(
              'conflict',
              `deployment ${id} changed state while being cancelled; try again`,
            )
        } else if (row.status === 'running' || row.status === 'awaiting_approval') {
          next = { ...row, cancel_requested: 1, updated_at: now }
          await trx
            .updateTable('deployments')
            .set({ cancel_requested: 1, updated_at: now })
            .where('id', '=', id)
            .execute()
        } else {
          throw new KeylessError('invalid_state', `deployment ${id} is already ${row.status}`, {
            status: row.status,
          })
        }
        await recordAudit(ctx, trx, principal, {
          action:
            next.status === 'cancelled' ? 'deployment.cancelled' : 'deployment.cancel_requested',
          organizationId: row.organization_id,
          deploymentId: id,
          details: { previousStatus: row.status },
        })
        if (next.status === 'cancelled') await notifyQueued(ctx, trx, row.organization_id)
        return next
      })
      ctx.events.emit('deployment', id)
      if (row.status === 'cancelled') ctx.events.emit('queued', row.organization_id)
      return toDeployment(row)
    },
  }
}
