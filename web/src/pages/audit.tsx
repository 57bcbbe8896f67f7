import { useState, type FormEvent, type ReactNode } from 'react'
import { api, enc, query } from '../api/client'
import type { AuditEntry, Page } from '../api/types'
import { Link, setQuery, useLocation } from '../router'
import {
  Empty,
  ErrorState,
  formatTime,
  Loading,
  PageHeader,
  Section,
  SelectField,
  shortId,
  TextField,
} from '../ui/components'
import { useAsync } from '../ui/use-async'
import { Pager } from './deployments'

const PAGE_SIZE = 20

const ACTIONS = [
  ['', 'All events'],
  ['token.minted', 'Tokens issued to agents'],
  ['token.minted_manually', 'Tokens minted manually'],
  ['deployment.role_resolved', 'Roles resolved'],
  ['environment.role_override_set', 'Role overrides set'],
  ['environment.role_override_cleared', 'Role overrides cleared'],
  ['organization.minting_stopped', 'Minting stopped'],
  ['organization.minting_resumed', 'Minting resumed'],
  ['credential.created', 'Credentials created'],
  ['credential.assigned', 'Credentials assigned'],
  ['deployment.created', 'Deployments queued'],
  ['deployment.finished', 'Deployments finished'],
] as const

function field(e: AuditEntry, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = e[k]
    if (typeof v === 'string' && v !== '') return v
    const d = e.details
    if (typeof d === 'object' && d !== null) {
      const dv = (d as Record<string, unknown>)[k]
      if (typeof dv === 'string' && dv !== '') return dv
    }
  }
  return undefined
}

export function AuditPage({ orgId }: { orgId: string }): ReactNode {
  const { search } = useLocation()
  const action = search.get('action') ?? ''
  const deploymentId = search.get('deploymentId') ?? ''
  const cursor = search.get('cursor') ?? ''
  const [deploymentInput, setDeploymentInput] = useState(deploymentId)
  const [state, reload] = useAsync(
    (signal) =>
      api.get<Page<AuditEntry>>(
        `/organizations/${enc(orgId)}/audit${query({ action, deploymentId, cursor, limit: PAGE_SIZE })}`,
        signal,
      ),
    [orgId, action, deploymentId, cursor],
  )
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    setQuery({ action, deploymentId: deploymentInput.trim() })
  }
  return (
    <div className="page">
      <PageHeader
        title="Audit log"
        description="Every token issued (jti, deployment, signing key, role, RoleSessionName) and every change, newest first. Match jti and RoleSessionName with CloudTrail."
      />
      <Section title="Filter">
        <form className="filters" onSubmit={submit} aria-label="Filter the audit log">
          <SelectField
            label="Event"
            value={action}
            onChange={(e) => setQuery({ action: e.target.value, deploymentId })}
          >
            {ACTIONS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Deployment id"
            value={deploymentInput}
            spellCheck={false}
            onChange={(e) => setDeploymentInput(e.target.value)}
          />
          <div className="filters-actions">
            <button type="submit" className="button secondary">
              Apply
            </button>
          </div>
        </form>
      </Section>
      <Section title="Events">
        {state.status === 'error' ? (
          <ErrorState error={state.error} onRetry={reload} />
        ) : state.data === undefined ? (
          <Loading label="Loading the audit log…" />
        ) : state.data.items.length === 0 ? (
          <Empty title="No events">
            {action !== '' || deploymentId !== ''
              ? 'Nothing matches these filters. Clear them to see every event.'
              : 'Events appear here as tokens are minted and settings change.'}
          </Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table audit stack">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Event</th>
                    <th scope="col">Deployment</th>
                    <th scope="col">Key</th>
                    <th scope="col">Role</th>
                    <th scope="col">By</th>
                  </tr>
                </thead>
                <tbody>
                  {state.data.items.map((e) => {
                    const dep = field(e, 'deploymentId')
                    const role = field(e, 'roleArn')
                    const kid = field(e, 'kid', 'keyId')
                    const jti = field(e, 'jti')
                    return (
                      <tr key={e.id}>
                        <td data-label="Time" className="nowrap">
                          {formatTime(field(e, 'time', 'createdAt', 'at'))}
                        </td>
                        <td data-label="Event">
                          <code>{field(e, 'action', 'type', 'event') ?? '—'}</code>
                          {jti === undefined ? null : (
                            <div className="muted small">jti {shortId(jti)}</div>
                          )}
                          {typeof e.details === 'object' &&
                          e.details !== null &&
                          Object.keys(e.details).length > 0 ? (
                            <details className="audit-details">
                              <summary>Details</summary>
                              <pre>{JSON.stringify(e.details, null, 2)}</pre>
                            </details>
                          ) : null}
                        </td>
                        <td data-label="Deployment">
                          {dep === undefined ? (
                            '—'
                          ) : (
                            <Link to={`/orgs/${enc(orgId)}/deployments/${enc(dep)}`}>
                              <code>{shortId(dep)}</code>
                            </Link>
                          )}
                        </td>
                        <td data-label="Key">
                          {kid === undefined ? '—' : <code title={kid}>{shortId(kid)}</code>}
                        </td>
                        <td data-label="Role">
                          {role === undefined ? '—' : <code className="wrap">{role}</code>}
                        </td>
                        <td data-label="By">
                          {field(e, 'actorEmail') ?? field(e, 'actorType') ?? '—'}
                        </td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
            <Pager
              hasPrevious={cursor !== ''}
              nextCursor={state.data.nextCursor}
              onFirst={() => setQuery({ action, deploymentId })}
              onNext={(c) => setQuery({ action, deploymentId, cursor: c })}
            />
          </>
        )}
      </Section>
    </div>
  )
}
