import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import {
  claimRequestSchema,
  releaseClaimRequestSchema,
  statusRequestSchema,
  type ClaimRequest,
  type ClaimResponse,
  type HeartbeatResponse,
  type ReleaseClaimRequest,
  type StatusRequest,
} from '../shared/contracts/agent-api.js'
import {
  FINISHED_STATUSES,
  type DeploymentStatus,
  type DeploymentType,
} from '../shared/contracts/common.js'
import { KeylessError } from '../shared/errors.js'
import type { DeploymentRow } from '../store/platform-tables.js'
import { recordAudit } from './audit.js'
import { inTransaction, type PlatformContext, type Tx } from './context.js'
import type { Principal } from './principal.js'
import { toDeployment } from './resources.js'
import { type Deployment } from '../shared/contracts/resources.js'
import { resolveEnvironment, toAgentDeployment, type Resolution } from './resolution.js'
import { parseInput } from './validation.js'
import { issueStateSecret, releaseLocksOf } from './state/secrets.js'
import { claimable, holdEnvironment } from './queue-order.js'
import { notifyQueued } from './queue-notify.js'

type Agent = Extract<Principal, { kind: 'agent' }>

/** What a claim is asked with (claimRequestSchema): who claims, and the claim's key. */
type ClaimOf = Pick<z.output<typeof claimRequestSchema>, 'agentName' | 'claimKey'>

function asAgent(principal: Principal): Agent {
  if (principal.kind !== 'agent')
    throw new KeylessError('forbidden', 'only agent tokens may use the agent API')
  return principal
}

/** A deployment's claim columns once it is back in the queue. */
const UNCLAIMED = {
  status: 'queued',
  claimed_by: null,
  agent_name: null,
  lease_expires_at: null,
  claimed_at: null,
  claim_key: null,
} as const

/** Steps as stored: one entry per reported step index. */
interface StoredStep {
  index: number
  name: string
  status: string
  exitCode: number | null
}

/**
 * The deployment queue (issue 5): exactly-once claims with a lease, heartbeats, status reports
 * from the agent, and the sweeper that handles agents that disappear — a claimed deployment goes
 * back to the queue, a running one fails with `agent lost` (never run twice).
 */
export function queueService(ctx: PlatformContext) {
  function leaseUntil(): string {
    return new Date(ctx.clock.now().getTime() + ctx.leaseSeconds * 1000).toISOString()
  }

  async function held(db: Tx, agent: Agent, id: string, lock: boolean): Promise<DeploymentRow> {
    let select = db.selectFrom('deployments').selectAll().where('id', '=', id)
    if (lock && ctx.store.dialect === 'postgres') select = select.forUpdate()
    const row = await select.executeTakeFirst()
    if (row === undefined || row.organization_id !== agent.organizationId)
      throw new KeylessError('not_found', `deployment ${id} not found`, { id })
    if (
      row.claimed_by !== agent.id ||
      FINISHED_STATUSES.has(row.status as DeploymentStatus) ||
      row.status === 'queued'
    )
      throw new KeylessError(
        'lease_lost',
        `this agent no longer holds deployment ${id} (it is ${row.status})`,
        {
          status: row.status,
        },
      )
    return row
  }

  /**
   * Claims the oldest queued deployment of the organization that may run now (queue-order.ts:
   * one at a time per environment), or undefined.
   */
  async function claimNext(
    trx: Tx,
    agent: Agent,
    request: ClaimOf,
    at: { now: string; lease: string },
  ): Promise<DeploymentRow | undefined> {
    for (const candidate of await claimable(trx, agent.organizationId)) {
      if (!(await holdEnvironment(ctx, trx, candidate))) continue
      const claimed = await trx
        .updateTable('deployments')
        .set({
          status: 'claimed',
          claimed_by: agent.id,
          agent_name: request.agentName ?? agent.name,
          lease_expires_at: at.lease,
          claim_key: request.claimKey ?? null,
          claimed_at: at.now,
          updated_at: at.now,
        })
        .where('id', '=', candidate.id)
        .where('status', '=', 'queued')
        .returningAll()
        .executeTakeFirst()
      if (claimed !== undefined) return claimed
    }
    return undefined
  }

  /**
   * The deployment this agent token claimed with `claimKey` (and `agentName`, if given) that is
   * still `claimed`: the answer to that claim was lost, so the same key gets it again. Nothing once
   * it started, was handed back or requeued (the key is only for re-delivering a claim).
   */
  async function claimedWithKey(
    trx: Tx,
    agent: Agent,
    request: ClaimOf,
  ): Promise<DeploymentRow | undefined> {
    if (request.claimKey === undefined) return undefined
    let select = trx
      .selectFrom('deployments')
      .selectAll()
      .where('status', '=', 'claimed')
      .where('claimed_by', '=', agent.id)
      .where('claim_key', '=', request.claimKey)
    if (request.agentName !== undefined) select = select.where('agent_name', '=', request.agentName)
    return select.orderBy('claimed_at').orderBy('id').executeTakeFirst()
  }

  /**
   * `held`, except that the final report the deployment already has is answered again (the agent
   * sends it once more when the first answer was lost): the deployment comes back unchanged.
   */
  async function heldOrFinishedAs(
    db: Tx,
    agent: Agent,
    id: string,
    status: StatusRequest['status'],
  ): Promise<DeploymentRow> {
    try {
      return await held(db, agent, id, true)
    } catch (error) {
      const row = await db
        .selectFrom('deployments')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()
      if (row?.claimed_by === agent.id && row.status === status && status !== 'running') return row
      throw error
    }
  }

  /** Puts a deployment no step of which started back in the queue (audited). */
  async function requeue(
    trx: Tx,
    row: DeploymentRow,
    actor: Principal,
    details: Record<string, unknown>,
  ): Promise<void> {
    await trx
      .updateTable('deployments')
      .set({ ...UNCLAIMED, updated_at: ctx.now() })
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .execute()
    await recordAudit(ctx, trx, actor, {
      action: 'deployment.requeued',
      organizationId: row.organization_id,
      deploymentId: row.id,
      details,
    })
  }

  /**
   * One claim attempt: the deployment claimed before with the same claim key (its answer was
   * lost; answered again, the lease as it is), else the oldest queued deployment of the agent's
   * organization, or null.
   */
  async function claimOnce(agent: Agent, request: ClaimOf): Promise<ClaimResponse | null> {
    const result = await inTransaction(ctx, async (trx) => {
      const again = await claimedWithKey(trx, agent, request)
      if (again !== undefined) {
        // Audited: the answer carries a new state secret (the lost one is replaced).
        await recordAudit(ctx, trx, agent, {
          action: 'deployment.claim_redelivered',
          organizationId: again.organization_id,
          deploymentId: again.id,
          details: { agentTokenId: agent.id, agentName: again.agent_name },
        })
        return answer(trx, agent, again, again.lease_expires_at ?? leaseUntil(), false)
      }
      const now = ctx.now()
      const lease = leaseUntil()
      const claimed = await claimNext(trx, agent, request, { now, lease })
      if (claimed === undefined) return null
      await recordAudit(ctx, trx, agent, {
        action: 'deployment.claimed',
        organizationId: claimed.organization_id,
        deploymentId: claimed.id,
        details: { agentTokenId: agent.id, agentName: claimed.agent_name, leaseExpiresAt: lease },
      })
      return answer(trx, agent, claimed, lease, true)
    })
    if (result !== null) ctx.events.emit('deployment', result.deployment.id)
    return result
  }

  /**
   * The answer to a claim of `claimed`: its environment resolved, a fresh state secret (a lost
   * answer's secret is replaced). On the `first` answer the credential and role are stored on the
   * deployment and the role audited.
   */
  async function answer(
    trx: Tx,
    agent: Agent,
    claimed: DeploymentRow,
    lease: string,
    first: boolean,
  ): Promise<ClaimResponse> {
    const resolution = await resolveEnvironment(
      trx,
      claimed.environment_id,
      claimed.type as DeploymentType,
    )
    const role = resolution.role
    const row: DeploymentRow = {
      ...claimed,
      credential_id: resolution.credential?.id ?? null,
      azure_credential_id: resolution.azure?.id ?? null,
      gcp_credential_id: resolution.gcp?.id ?? null,
      role_arn: role?.ok === true ? role.roleArn : null,
      role_source: role?.source ?? null,
    }
    if (first) await storeResolution(trx, agent, row, role)
    const statePassword = usesStateBackend(resolution.template)
      ? await issueStateSecret(ctx, trx, row.id, row.environment_id)
      : null
    return {
      deployment: { ...toAgentDeployment(row, resolution), statePassword },
      leaseExpiresAt: lease,
      leaseSeconds: ctx.leaseSeconds,
    }
  }

  /**
   * Keeps the claim's credentials (AWS, Azure, GCP) and role on the deployment; audits the role's
   * resolution.
   */
  async function storeResolution(
    trx: Tx,
    agent: Agent,
    row: DeploymentRow,
    role: Resolution['role'],
  ): Promise<void> {
    await trx
      .updateTable('deployments')
      .set({
        credential_id: row.credential_id,
        azure_credential_id: row.azure_credential_id,
        gcp_credential_id: row.gcp_credential_id,
        role_arn: row.role_arn,
        role_source: row.role_source,
      })
      .where('id', '=', row.id)
      .execute()
    if (role !== null)
      await recordAudit(ctx, trx, agent, {
        action: 'deployment.role_resolved',
        organizationId: row.organization_id,
        deploymentId: row.id,
        details: role.ok
          ? { roleArn: role.roleArn, source: role.source, credentialId: row.credential_id }
          : { error: role.message, source: role.source, credentialId: row.credential_id },
      })
  }

  async function sweep(organizationId?: string): Promise<{ requeued: string[]; failed: string[] }> {
    const now = ctx.now()
    const system: Principal = { kind: 'system' }
    const out = await inTransaction(ctx, async (trx) => {
      let expired = trx
        .selectFrom('deployments')
        .selectAll()
        .where('status', 'in', ['claimed', 'running', 'awaiting_approval'])
        .where('lease_expires_at', '<', now)
      if (organizationId !== undefined)
        expired = expired.where('organization_id', '=', organizationId)
      if (ctx.store.dialect === 'postgres') expired = expired.forUpdate().skipLocked()
      const rows = await expired.execute()
      const requeued: string[] = []
      const failed: string[] = []
      for (const row of rows) {
        // Running but no step started (`beforeSteps`): as safe to hand out again as claimed.
        if (row.status === 'claimed' || row.started_at === null) {
          await requeue(trx, row, system, {
            reason:
              row.status === 'claimed'
                ? 'lease expired before the deployment started'
                : 'lease expired before any step started',
            agentTokenId: row.claimed_by,
            leaseExpiresAt: row.lease_expires_at,
          })
          requeued.push(row.id)
        } else {
          const failure = {
            code: 'agent_lost',
            message:
              row.status === 'awaiting_approval'
                ? `agent lost: agent ${row.agent_name ?? row.claimed_by ?? '?'} stopped renewing its lease (expired ${row.lease_expires_at ?? '?'}) while the deployment awaited approval; the saved plan was on that agent and nothing was applied: deploy again`
                : `agent lost: agent ${row.agent_name ?? row.claimed_by ?? '?'} stopped renewing its lease (expired ${row.lease_expires_at ?? '?'}) while the deployment was running; it is not run again`,
          }
          await trx
            .updateTable('deployments')
            .set({
              status: 'failed',
              message: 'agent lost',
              failure: JSON.stringify(failure),
              lease_expires_at: null,
              finished_at: now,
              updated_at: now,
            })
            .where('id', '=', row.id)
            .where('status', 'in', ['running', 'awaiting_approval'])
            .execute()
          await recordAudit(ctx, trx, system, {
            action: 'deployment.agent_lost',
            organizationId: row.organization_id,
            deploymentId: row.id,
            details: {
              agentTokenId: row.claimed_by,
              agentName: row.agent_name,
              leaseExpiresAt: row.lease_expires_at,
            },
          })
          failed.push(row.id)
        }
      }
      const orgs = [...new Set(rows.map((r) => r.organization_id))]
      for (const org of orgs) await notifyQueued(ctx, trx, org)
      return { requeued, failed, orgs }
    })
    for (const id of [...out.requeued, ...out.failed]) ctx.events.emit('deployment', id)
    for (const id of out.requeued) ctx.events.emit('leaseExpired', id, 'requeued')
    for (const id of out.failed) ctx.events.emit('leaseExpired', id, 'agent_lost')
    for (const org of out.orgs) ctx.events.emit('queued', org)
    return { requeued: out.requeued, failed: out.failed }
  }

  return {
    sweep,

    /**
     * The agent hands back a deployment it holds but has not started (it is shutting down): the
     * deployment is queued again at once. `invalid_state` (409) once a step may have started.
     */
    async release(principal: Principal, id: string): Promise<Deployment> {
      const agent = asAgent(principal)
      const row = await inTransaction(ctx, async (trx) => {
        const row = await held(trx, agent, id, true)
        if (row.started_at !== null)
          throw new KeylessError(
            'invalid_state',
            `deployment ${id} has started; it can only finish, fail or be cancelled`,
          )
        await requeue(trx, row, agent, {
          reason: 'handed back by the agent',
          agentTokenId: agent.id,
        })
        await notifyQueued(ctx, trx, row.organization_id)
        return { ...row, ...UNCLAIMED }
      })
      ctx.events.emit('deployment', id)
      ctx.events.emit('queued', row.organization_id)
      return toDeployment(row)
    },

    /**
     * The agent gives up a claim attempt whose answer it never got (it is stopping): the
     * deployment that attempt claimed, if any and still `claimed`, is queued again at once
     * (audited `deployment.requeued`). Null when the key claimed nothing, or its deployment was
     * delivered (started), handed back or requeued already. The claim route does the same when
     * the agent went away before its answer could be sent.
     */
    async releaseClaim(
      principal: Principal,
      input: ReleaseClaimRequest,
      reason = 'the agent gave the claim up before its answer arrived (it is stopping)',
    ): Promise<Deployment | null> {
      const agent = asAgent(principal)
      const data = parseInput(releaseClaimRequestSchema, input)
      const row = await inTransaction(ctx, async (trx) => {
        const row = await claimedWithKey(trx, agent, data)
        if (row === undefined) return undefined
        await requeue(trx, row, agent, { reason, agentTokenId: agent.id })
        await notifyQueued(ctx, trx, row.organization_id)
        return { ...row, ...UNCLAIMED }
      })
      if (row === undefined) return null
      ctx.events.emit('deployment', row.id)
      ctx.events.emit('queued', row.organization_id)
      return toDeployment(row)
    },

    /**
     * Claims the oldest queued deployment of the agent's organization, waiting up to
     * `waitSeconds` for one (long poll). Returns null when none came.
     */
    async claim(
      principal: Principal,
      input: ClaimRequest = {},
      signal?: AbortSignal,
    ): Promise<ClaimResponse | null> {
      const agent = asAgent(principal)
      const data = parseInput(claimRequestSchema, input ?? {})
      const deadline = performance.now() + data.waitSeconds * 1000
      const givenUp = (): boolean => signal?.aborted === true
      for (;;) {
        await sweep(agent.organizationId)
        const claimed = await claimOnce(agent, data)
        if (claimed !== null) return claimed
        const remaining = deadline - performance.now()
        if (remaining <= 0 || givenUp()) return null
        await waitForQueue(
          ctx,
          agent.organizationId,
          Math.min(remaining, ctx.claimRecheckMs),
          signal,
        )
        // Given up (the agent went away, the server drains): claim nothing nobody would get.
        if (givenUp()) return null
      }
    },

    /** Renews the lease. `lease_lost` (409) when the agent no longer holds the deployment. */
    async heartbeat(principal: Principal, id: string): Promise<HeartbeatResponse> {
      const agent = asAgent(principal)
      return inTransaction(ctx, async (trx) => {
        const row = await held(trx, agent, id, true)
        const lease = leaseUntil()
        await trx
          .updateTable('deployments')
          .set({ lease_expires_at: lease, updated_at: ctx.now() })
          .where('id', '=', row.id)
          .execute()
        return {
          leaseExpiresAt: lease,
          cancelRequested: row.cancel_requested !== 0,
          status: row.status as DeploymentStatus,
        }
      })
    },

    /**
     * A status report from the agent holding the deployment: `running` starts it, a final status
     * finishes it, `step` records one step, `assumedRoleArn` and `failure` are kept for people.
     * Any report also renews the lease.
     */
    async report(principal: Principal, id: string, input: StatusRequest): Promise<Deployment> {
      const agent = asAgent(principal)
      const data = parseInput(statusRequestSchema, input)
      const next = await inTransaction(ctx, async (trx) => {
        const row = await heldOrFinishedAs(trx, agent, id, data.status)
        if (FINISHED_STATUSES.has(row.status as DeploymentStatus)) return row
        const now = ctx.now()
        const next: DeploymentRow = { ...row, updated_at: now }
        const finishing = FINISHED_STATUSES.has(data.status)
        if (data.status === 'awaiting_approval') {
          if (row.status !== 'running')
            throw new KeylessError(
              'invalid_state',
              `deployment ${id} can await approval only while running`,
              { status: row.status },
            )
          next.status = 'awaiting_approval'
          next.lease_expires_at = leaseUntil()
        } else if (data.status === 'running') {
          if (row.status === 'claimed') {
            next.status = 'running'
            // The claim was delivered: its key re-delivers nothing any more.
            next.claim_key = null
          }
          if (data.beforeSteps !== true) next.started_at ??= now
          next.lease_expires_at = leaseUntil()
        } else {
          next.status = data.status
          next.finished_at = now
          next.lease_expires_at = null
        }
        if (data.message !== undefined) next.message = data.message
        if (data.assumedRoleArn !== undefined) next.assumed_role_arn = data.assumedRoleArn
        if (data.plan !== undefined) next.plan = JSON.stringify(data.plan)
        if (data.failure !== undefined) next.failure = JSON.stringify(data.failure)
        if (data.step !== undefined) {
          const steps = JSON.parse(row.steps) as StoredStep[]
          const step: StoredStep = {
            index: data.step.index,
            name: data.step.name,
            status: data.step.status,
            exitCode: data.step.exitCode ?? null,
          }
          const at = steps.findIndex((s) => s.index === step.index)
          if (at >= 0) steps[at] = step
          else steps.push(step)
          steps.sort((a, b) => a.index - b.index)
          next.steps = JSON.stringify(steps)
        }
        const { id: _id, ...changes } = next
        await trx.updateTable('deployments').set(changes).where('id', '=', id).execute()
        if (finishing) {
          await releaseLocksOf(trx, id)
          // The environment is free: its next deployment may be claimed on any replica.
          await notifyQueued(ctx, trx, row.organization_id)
        }
        if (row.status === 'claimed' && next.status === 'running')
          await recordAudit(ctx, trx, agent, {
            action: 'deployment.started',
            organizationId: row.organization_id,
            deploymentId: id,
            details: { agentTokenId: agent.id },
          })
        if (finishing)
          await recordAudit(ctx, trx, agent, {
            action: 'deployment.finished',
            organizationId: row.organization_id,
            deploymentId: id,
            details: {
              status: next.status,
              message: next.message,
              assumedRoleArn: next.assumed_role_arn,
              failureCode: data.failure?.code ?? null,
            },
          })
        return next
      })
      ctx.events.emit('deployment', id)
      // A finished deployment frees its environment: the next one of it may be claimed now.
      if (FINISHED_STATUSES.has(next.status as DeploymentStatus))
        ctx.events.emit('queued', next.organization_id)
      return toDeployment(next)
    },
  }
}

/** Terraform and OpenTofu templates get a state secret for the state backend (docs/state.md). */
function usesStateBackend(template: { type: string; state_backend: string }): boolean {
  return (
    (template.type === 'terraform' || template.type === 'opentofu') &&
    template.state_backend === 'managed'
  )
}

/** Waits until a deployment is queued in the organization, `ms` pass, or the signal aborts. */
async function waitForQueue(
  ctx: PlatformContext,
  organizationId: string,
  ms: number,
  signal?: AbortSignal,
): Promise<void> {
  const controller = new AbortController()
  const onQueued = (org: string): void => {
    if (org === organizationId) controller.abort()
  }
  const onAbort = (): void => controller.abort()
  ctx.events.on('queued', onQueued)
  ctx.events.on('queueRecheck', onAbort)
  signal?.addEventListener('abort', onAbort)
  try {
    await sleep(ms, undefined, { signal: controller.signal })
  } catch {
    // woken up early
  } finally {
    ctx.events.off('queued', onQueued)
    ctx.events.off('queueRecheck', onAbort)
    signal?.removeEventListener('abort', onAbort)
  }
}

export const heartbeatRequestSchema = z.strictObject({})
