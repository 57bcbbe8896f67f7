import { useState, type ReactNode } from 'react'
import { deployments } from '../api/deployments'
import type { Deployment, PlanAction, PlanSummary } from '../api/types'
import { Badge } from '../ui/badge'
import { ConfirmDialog } from '../ui/dialog'
import { FormError } from '../ui/feedback'
import { TextField } from '../ui/fields'
import { formatTime } from '../ui/formatting'
import { Section } from '../ui/layout'
import { useMutation } from '../ui/use-mutation'

const ACTION_WORDS: Readonly<Record<PlanAction, string>> = {
  create: '+ create',
  update: '~ update',
  delete: '- destroy',
  replace: '-/+ replace',
  read: '<= read',
  'no-op': 'no change',
}

/** Terraform's own summary line: `Plan: 1 to add, 0 to change, 1 to destroy.` (+ replacements). */
export function planLine(plan: PlanSummary): string {
  const line = `Plan: ${plan.add} to add, ${plan.change} to change, ${plan.destroy} to destroy.`
  return plan.replace === 0 ? line : `${line} (${plan.replace} replaced)`
}

/** What the plan would do: the counts and each resource with its action, coloured. */
export function PlanSection({ plan }: { plan: PlanSummary }): ReactNode {
  const changing = plan.resources.filter((r) => r.action !== 'no-op')
  return (
    <Section title="Plan">
      <p data-testid="plan-line">
        <strong>{planLine(plan)}</strong>
      </p>
      {plan.resources.length === 0 ? (
        <p className="muted">No resources in the plan.</p>
      ) : (
        <div className="table-wrap">
          <table className="table plan" aria-label="Planned changes">
            <thead>
              <tr>
                <th scope="col">Resource</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {plan.resources.map((r) => (
                <tr key={r.address} data-action={r.action} className={`plan-${r.action}`}>
                  <td>
                    <code className="wrap">{r.address}</code>
                  </td>
                  <td>
                    <Badge value={r.action} label={ACTION_WORDS[r.action]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {changing.length === 0 && plan.resources.length > 0 ? (
        <p className="muted">Nothing to change: the infrastructure matches the configuration.</p>
      ) : null}
    </Section>
  )
}

/** The decision already taken on a deployment that waited for approval. */
export function ApprovalFacts({ d }: { d: Deployment }): ReactNode {
  if (d.approval === null) return null
  const a = d.approval
  return (
    <p className="muted" data-testid="approval">
      {a.decision === 'approved' ? 'Approved' : 'Rejected'} by {a.by} at {formatTime(a.at)}
      {a.comment === null ? '' : `: “${a.comment}”`}
    </p>
  )
}

/** Approve (apply exactly the saved plan) or reject a deployment awaiting approval. */
export function ApprovalPanel({ d, onDone }: { d: Deployment; onDone: () => void }): ReactNode {
  const [comment, setComment] = useState('')
  const [confirm, setConfirm] = useState<'approve' | 'reject' | null>(null)
  const m = useMutation()
  const decide = (decision: 'approve' | 'reject'): void => {
    setConfirm(null)
    void m.run(async () => {
      await deployments.decide(d.id, decision, comment)
      onDone()
    })
  }
  return (
    <div className="banner warning approval" role="region" aria-label="Approval">
      <p>
        <strong>Waiting for approval.</strong> The plan below is saved; approving applies exactly
        that plan, rejecting ends the deployment without changing anything.
      </p>
      <FormError error={m.error} />
      <TextField
        label="Comment"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        maxLength={1024}
      />
      <div className="form-actions">
        <button
          type="button"
          className="button primary"
          disabled={m.busy}
          onClick={() => setConfirm('approve')}
        >
          Approve and apply
        </button>
        <button
          type="button"
          className="button danger"
          disabled={m.busy}
          onClick={() => setConfirm('reject')}
        >
          Reject
        </button>
      </div>
      <ConfirmDialog
        open={confirm !== null}
        title={confirm === 'approve' ? 'Apply this plan?' : 'Reject this deployment?'}
        confirmLabel={confirm === 'approve' ? 'Approve and apply' : 'Reject'}
        danger={confirm === 'reject' || (d.plan !== null && d.plan.destroy > 0)}
        onConfirm={() => confirm !== null && decide(confirm)}
        onCancel={() => setConfirm(null)}
      >
        {confirm === 'approve' ? (
          <p>
            {d.plan === null ? 'The saved plan is applied.' : planLine(d.plan)} The agent applies
            exactly the saved plan, even if the template changed since.
          </p>
        ) : (
          <p>The deployment ends rejected; nothing is applied.</p>
        )}
      </ConfirmDialog>
    </div>
  )
}
