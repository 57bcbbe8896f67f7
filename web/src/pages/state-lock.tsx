import type { ReactNode } from 'react'
import { enc } from '../api/client'
import { FINISHED, type DeploymentStatus, type StateLock } from '../api/types'
import { Link } from '../router'
import { Badge } from '../ui/badge'
import { ConfirmDialog } from '../ui/dialog'
import { ErrorState, Loading } from '../ui/feedback'
import { formatTime } from '../ui/formatting'
import { Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { MutationStatus } from '../ui/form'
import { useConfirmedChange, type StatePanelProps } from './state-panel'

const text = (v: unknown): string => (typeof v === 'string' && v !== '' ? v : '—')

/** Whether the lock's holder has ended (e.g. `agent lost`): then only a force-unlock frees it. */
function holderEnded(lock: StateLock): boolean {
  return FINISHED.some((s: DeploymentStatus) => s === lock.deploymentStatus)
}

/** The state lock and who holds it; an admin can force-unlock it behind a confirmation. */
export function LockPanel({ orgId, state, changed, onChanged }: StatePanelProps): ReactNode {
  const [lock, reload] = useAsync((signal) => state.lock(signal), [changed])
  const unlock = useConfirmedChange(onChanged, async (_held: StateLock) => {
    const { released } = await state.forceUnlock()
    return `Lock ${released.lockId} released.`
  })
  const m = unlock.mutation
  const held = lock.data?.lock ?? null
  return (
    <Section title="Lock">
      <MutationStatus mutation={m} />
      {lock.status === 'error' ? (
        <ErrorState error={lock.error} onRetry={reload} />
      ) : lock.data === undefined ? (
        <Loading label="Loading the lock…" />
      ) : held === null ? (
        <p data-testid="state-lock">
          <Badge value="succeeded" label="unlocked" /> No deployment holds the state.
        </p>
      ) : (
        <div data-testid="state-lock">
          {holderEnded(held) ? (
            <div className="banner warning" role="status">
              The deployment holding the lock has ended ({held.deploymentStatus}); the lock stays
              until an admin releases it. Check that nothing still writes the state first.
            </div>
          ) : null}
          <dl className="facts">
            <dt>Held by</dt>
            <dd>
              <Link to={`/orgs/${enc(orgId)}/deployments/${enc(held.deploymentId)}`}>
                <code>{held.deploymentId}</code>
              </Link>{' '}
              <Badge value={held.deploymentStatus} />
            </dd>
            <dt>Who</dt>
            <dd>{text(held.info['Who'])}</dd>
            <dt>Operation</dt>
            <dd>{text(held.info['Operation'])}</dd>
            <dt>Lock ID</dt>
            <dd>
              <code>{held.lockId}</code>
            </dd>
            <dt>Since</dt>
            <dd>{formatTime(held.createdAt)}</dd>
          </dl>
          <div className="form-actions">
            <button
              type="button"
              className="button danger"
              disabled={m.busy}
              onClick={() => unlock.ask(held)}
            >
              Force unlock
            </button>
          </div>
        </div>
      )}
      <ConfirmDialog
        open={unlock.asked !== null}
        title="Force-unlock the state?"
        confirmLabel="Force unlock"
        danger
        onConfirm={unlock.confirm}
        onCancel={unlock.cancel}
      >
        <p>
          Terraform holds this lock while it writes the state. Releasing it while the holder still
          runs lets two writers overwrite each other. Release it only when the holder has ended (for
          example an agent that was lost).
        </p>
      </ConfirmDialog>
    </Section>
  )
}
