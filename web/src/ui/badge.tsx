import type { ReactNode } from 'react'

/** Badge tone per status word (deployment, step, finding, decision). */
const STATUS_TONE: Record<string, string> = {
  queued: 'neutral',
  claimed: 'info',
  running: 'info',
  create: 'success',
  update: 'info',
  delete: 'danger',
  replace: 'warning',
  read: 'neutral',
  'no-op': 'neutral',
  awaiting_approval: 'warning',
  rejected: 'neutral',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'neutral',
  pending: 'neutral',
  skipped: 'neutral',
  error: 'danger',
  warning: 'warning',
  info: 'info',
  allowed: 'success',
  denied: 'danger',
}

export function Badge({ value, label }: { value: string; label?: string }): ReactNode {
  return <span className={`badge tone-${STATUS_TONE[value] ?? 'neutral'}`}>{label ?? value}</span>
}
