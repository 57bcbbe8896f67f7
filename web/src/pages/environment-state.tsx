import { useState, type ReactNode } from 'react'
import { enc } from '../api/client'
import { stateOf } from '../api/state'
import type { StateOutputs, StateVersion } from '../api/types'
import { Link } from '../router'
import { Badge } from '../ui/badge'
import { ConfirmDialog } from '../ui/dialog'
import { Empty, ErrorState, Loading } from '../ui/feedback'
import { formatTime, shortId } from '../ui/formatting'
import { Section } from '../ui/layout'
import { Pager } from '../ui/pager'
import { useAsync } from '../ui/use-async'
import { MutationStatus } from '../ui/form'
import { LockPanel } from './state-lock'
import { useConfirmedChange, type StatePanelProps } from './state-panel'

/**
 * An environment's Terraform state (docs/state.md): the lock and its holder, the versions with
 * who wrote them and when (restore one), the latest outputs (sensitive ones masked) and resources.
 * `changed` bumps after a restore or an unlock so that every panel reads again.
 */
export function StateTab({ orgId, environmentId }: { orgId: string; environmentId: string }) {
  const [changed, setChanged] = useState(0)
  const bump = (): void => setChanged((c) => c + 1)
  const state = stateOf(environmentId)
  return (
    <div className="state-tab" data-testid="state-tab">
      <LockPanel orgId={orgId} state={state} changed={changed} onChanged={bump} />
      <Versions orgId={orgId} state={state} changed={changed} onChanged={bump} />
      <div className="grid-2 top">
        <Outputs state={state} changed={changed} />
        <Resources state={state} changed={changed} />
      </div>
    </div>
  )
}

function Versions({ orgId, state, changed, onChanged }: StatePanelProps): ReactNode {
  const [cursor, setCursor] = useState<string | undefined>(undefined)
  const [page, reload] = useAsync((signal) => state.versions(cursor, signal), [cursor, changed])
  const restore = useConfirmedChange(onChanged, async (v: StateVersion) => {
    const made = await state.restore(v.serial)
    return `Serial ${v.serial} restored as serial ${made.serial}.`
  })
  const m = restore.mutation
  const latest = cursor === undefined ? page.data?.items[0]?.serial : undefined
  return (
    <Section title="Versions">
      <MutationStatus mutation={m} />
      {page.status === 'error' ? (
        <ErrorState error={page.error} onRetry={reload} />
      ) : page.data === undefined ? (
        <Loading label="Loading state versions…" />
      ) : page.data.items.length === 0 ? (
        <Empty title="No state yet">
          The first Terraform deployment of this environment writes it.
        </Empty>
      ) : (
        <>
          <VersionTable
            orgId={orgId}
            items={page.data.items}
            latest={latest}
            busy={m.busy}
            onRestore={restore.ask}
          />
          <Pager
            hasPrevious={cursor !== undefined}
            nextCursor={page.data.nextCursor}
            onFirst={() => setCursor(undefined)}
            onNext={setCursor}
          />
        </>
      )}
      <ConfirmDialog
        open={restore.asked !== null}
        title={`Restore serial ${restore.asked?.serial ?? ''}?`}
        confirmLabel="Restore"
        danger
        onConfirm={restore.confirm}
        onCancel={restore.cancel}
      >
        <p>
          Its content becomes the newest version (the next serial); the versions after it stay in
          the history. The next deployment plans against the restored state. Refused while the state
          is locked or a deployment holds the environment.
        </p>
      </ConfirmDialog>
    </Section>
  )
}

function VersionTable({
  orgId,
  items,
  latest,
  busy,
  onRestore,
}: {
  orgId: string
  items: StateVersion[]
  latest: number | undefined
  busy: boolean
  onRestore: (v: StateVersion) => void
}): ReactNode {
  return (
    <div className="table-wrap">
      <table className="table stack" aria-label="State versions">
        <thead>
          <tr>
            <th scope="col">Serial</th>
            <th scope="col">Written</th>
            <th scope="col">By</th>
            <th scope="col">Deployment</th>
            <th scope="col">Size</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((v) => (
            <tr key={v.serial} data-serial={v.serial}>
              <td data-label="Serial">
                <strong>{v.serial}</strong>{' '}
                {v.serial === latest ? <Badge value="succeeded" label="latest" /> : null}
                {v.restoredFrom === null ? null : (
                  <div className="muted small">restored from {v.restoredFrom}</div>
                )}
              </td>
              <td data-label="Written">{formatTime(v.createdAt)}</td>
              <td data-label="By">{v.createdBy}</td>
              <td data-label="Deployment">
                {v.deploymentId === null ? (
                  <span className="muted">restore</span>
                ) : (
                  <Link to={`/orgs/${enc(orgId)}/deployments/${enc(v.deploymentId)}`}>
                    <code>{shortId(v.deploymentId)}</code>
                  </Link>
                )}
              </td>
              <td data-label="Size">
                {formatBytes(v.size)}
                <div className="muted small" title={v.sha256}>
                  sha256 {v.sha256.slice(0, 12)}…
                </div>
              </td>
              <td className="actions-cell" data-label="">
                {v.serial === latest ? null : (
                  <button
                    type="button"
                    className="button secondary small"
                    disabled={busy}
                    aria-label={`Restore serial ${v.serial}`}
                    onClick={() => onRestore(v)}
                  >
                    Restore
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 / 1024).toFixed(1)} MiB`
}

function Outputs({ state, changed }: Pick<StatePanelProps, 'state' | 'changed'>): ReactNode {
  const [outputs, reload] = useAsync((signal) => state.outputs(signal), [changed])
  return (
    <Section title="Outputs">
      {outputs.status === 'error' ? (
        <ErrorState error={outputs.error} onRetry={reload} />
      ) : outputs.data === undefined ? (
        <Loading label="Loading outputs…" />
      ) : outputs.data.outputs.length === 0 ? (
        <Empty title="No outputs">
          {outputs.data.serial === null ? 'No state yet.' : 'The latest state has no outputs.'}
        </Empty>
      ) : (
        <OutputTable outputs={outputs.data} />
      )}
    </Section>
  )
}

function OutputTable({ outputs }: { outputs: StateOutputs }): ReactNode {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="State outputs">
        <caption className="muted">Of serial {outputs.serial}</caption>
        <thead>
          <tr>
            <th scope="col">Output</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {outputs.outputs.map((o) => (
            <tr key={o.name}>
              <th scope="row">
                <code>{o.name}</code>
              </th>
              <td>
                {o.sensitive ? (
                  <span className="muted">sensitive (hidden)</span>
                ) : (
                  <code className="wrap">
                    {typeof o.value === 'string' ? o.value : JSON.stringify(o.value)}
                  </code>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Resources({ state, changed }: Pick<StatePanelProps, 'state' | 'changed'>): ReactNode {
  const [resources, reload] = useAsync((signal) => state.resources(signal), [changed])
  return (
    <Section title="Resources">
      {resources.status === 'error' ? (
        <ErrorState error={resources.error} onRetry={reload} />
      ) : resources.data === undefined ? (
        <Loading label="Loading resources…" />
      ) : resources.data.resources.length === 0 ? (
        <Empty title="No resources">
          {resources.data.serial === null ? 'No state yet.' : 'The latest state manages none.'}
        </Empty>
      ) : (
        <ul className="resource-list" aria-label="State resources">
          {resources.data.resources.map((r) => (
            <li key={r.address}>
              <code>{r.address}</code>
              {r.mode === 'data' ? <span className="muted"> (data source)</span> : null}
            </li>
          ))}
        </ul>
      )}
    </Section>
  )
}
