import { approvalRequestSchema, type ApprovalRequest } from '../shared/contracts/plan.js'
import type { Deployment } from '../shared/contracts/resources.js'
import { KeylessError } from '../shared/errors.js'
import type { DeploymentRow } from '../store/platform-tables.js'
import { recordAudit } from './audit.js'
import { inTransaction, type PlatformContext } from './context.js'
import { emailOf } from './deployments.js'
import { loadDeployment } from './lookup.js'
import { requireRole, type Principal } from './principal.js'
import { toDeployment } from './resources.js'
import { notifyQueued } from './queue-notify.js'
import { parseInput } from './validation.js'

/**
 * Approval of a Terraform deploy that stopped after its plan (`awaiting_approval`, docs/state.md).
 * Approve: the deployment runs again (`running`) and its agent applies exactly the saved plan.
 * Reject: it ends `rejected` at once; its state password stops working and its agent, told
 * through its next heartbeat, drops the plan. Admin or deployer; audited.
 */
export function approvalService(ctx: PlatformContext) {
  async function decide(
    principal: Principal,
    id: string,
    decision: 'approved' | 'rejected',
    input: ApprovalRequest,
  ): Promise<Deployment> {
    const data = parseInput(approvalRequestSchema, input ?? {})
    const next = await inTransaction(ctx, async (trx) => {
      const row = await loadDeployment(trx, principal, id)
      requireRole(principal, row.organization_id, 'deployer', 'deployment', id)
      if (row.status !== 'awaiting_approval')
        throw new KeylessError(
          'invalid_state',
          `deployment ${id} is ${row.status.replace('_', ' ')}; only a deployment awaiting approval can be ${decision}`,
          { status: row.status },
        )
      const now = ctx.now()
      const approval = {
        decision,
        by: emailOf(ctx, principal),
        at: now,
        comment: data.comment ?? null,
      }
      const next: DeploymentRow = {
        ...row,
        approval: JSON.stringify(approval),
        updated_at: now,
        ...(decision === 'approved'
          ? { status: 'running' }
          : {
              status: 'rejected',
              finished_at: now,
              lease_expires_at: null,
              message: `rejected by ${approval.by}${approval.comment === null ? '' : `: ${approval.comment}`}`,
            }),
      }
      const changed = await trx
        .updateTable('deployments')
        .set({
          status: next.status,
          approval: next.approval,
          updated_at: now,
          finished_at: next.finished_at,
          lease_expires_at: next.lease_expires_at,
          message: next.message,
        })
        .where('id', '=', id)
        .where('status', '=', 'awaiting_approval')
        .executeTakeFirst()
      if (changed.numUpdatedRows === 0n)
        throw new KeylessError('conflict', `deployment ${id} changed while being ${decision}`)
      await recordAudit(ctx, trx, principal, {
        action: decision === 'approved' ? 'deployment.approved' : 'deployment.rejected',
        organizationId: row.organization_id,
        deploymentId: id,
        details: {
          by: approval.by,
          comment: approval.comment,
          plan: row.plan === null ? null : JSON.parse(row.plan),
        },
      })
      if (decision === 'rejected') await notifyQueued(ctx, trx, row.organization_id)
      return next
    })
    ctx.events.emit('deployment', id)
    if (decision === 'rejected') ctx.events.emit('queued', next.organization_id)
    return toDeployment(next)
  }

  return {
    approve: (principal: Principal, id: string, input: ApprovalRequest = {}) =>
      decide(principal, id, 'approved', input),
    reject: (principal: Principal, id: string, input: ApprovalRequest = {}) =>
      decide(principal, id, 'rejected', input),
  }
}
