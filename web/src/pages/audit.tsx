import { useState, type FormEvent, type ReactNode } from 'react'
import { audit } from '../api/audit'
import { enc } from '../api/client'
import type { AuditAction, AuditEvent } from '../api/types'
import { Link, setQuery, useLocation } from '../router'
import { Empty, ErrorState, Loading } from '../ui/feedback'
import { SelectField, TextField } from '../ui/fields'
import { formatTime, shortId } from '../ui/formatting'
import { PageHeader, Section } from '../ui/layout'
import { Pager } from '../ui/pager'
import { useAsync } from '../ui/use-async'

const PAGE_SIZE = 20

/**
 * Every audit action in the console's words, in the order the filter offers them (the most
 * asked-for first). Typed by the server's own union: a new action does not compile without a label.
 */
const LABELS: Readonly<Record<AuditAction, string>> = {
  'token.minted': 'Tokens issued to agents',
  'token.minted_manually': 'Tokens minted manually',
  'deployment.role_resolved': 'Roles resolved',
  'environment.role_override_set': 'Role overrides set',
  'environment.role_override_cleared': 'Role overrides cleared',
  'organization.minting_stopped': 'Minting stopped',
  'organization.minting_resumed': 'Minting resumed',
  'credential.created': 'Credentials created',
  'credential.assigned': 'Credentials assigned',
  'deployment.created': 'Deployments queued',
  'deployment.finished': 'Deployments finished',
  'deployment.claimed': 'Deployments claimed by an agent',
  'deployment.claim_redelivered': 'Claims answered again (the first answer was lost)',
  'deployment.started': 'Deployments started',
  'deployment.requeued': 'Deployments requeued',
  'deployment.agent_lost': 'Deployments whose agent was lost',
  'deployment.cancel_requested': 'Cancellations requested',
  'deployment.cancelled': 'Deployments cancelled',
  'deployment.approved': 'Deployments approved',
  'deployment.rejected': 'Deployments rejected',
  'organization.created': 'Organizations created',
  'organization.updated': 'Organizations changed',
  'project.created': 'Projects created',
  'project.updated': 'Projects changed',
  'template.created': 'Templates created',
  'template.updated': 'Templates changed',
  'environment.created': 'Environments created',
  'environment.updated': 'Environments changed',
  'variable.set': 'Variables set',
  'variable.role_override_set': 'Role overrides set by variable',
  'variable.deleted': 'Variables deleted',
  'credential.updated': 'Credentials changed',
  'credential.unassigned': 'Credentials unassigned',
  'api_key.created': 'API keys created',
  'api_key.revoked': 'API keys revoked',
  'agent_token.created': 'Agent tokens created',
  'agent_token.revoked': 'Agent tokens revoked',
  'owner_key.created': 'Owner key created',
  'state.restored': 'State versions restored',
  'state.force_unlocked': 'State locks released by force',
  'state.deleted': 'States deleted',
}

const ACTIONS: ReadonlyArray<readonly [string, string]> = [
  ['', 'All events'],
  ...Object.entries(LABELS),
]

/** A string in the event's free-form details (jti, kid, roleArn of a mint), else undefined. */
function detail(e: AuditEvent, key: string): string | undefined {
  const v = e.details[key]
  return typeof v === 'string' && v !== '' ? v : undefined
}

export function AuditPage({ orgId }: { orgId: string }): ReactNode {
  const { search } = useLocation()
  const action = search.get('action') ?? ''
  const deploymentId = search.get('deploymentId') ?? ''
  const cursor = search.get('cursor') ?? ''
  const [deploymentInput, setDeploymentInput] = useState(deploymentId)
  const [state, reload] = useAsync(
    (signal) => audit.list(orgId, { action, deploymentId, cursor, limit: PAGE_SIZE }, signal),
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
            <AuditTable orgId={orgId} items={state.data.items} />
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

function AuditTable({ orgId, items }: { orgId: string; items: AuditEvent[] }): ReactNode {
  return (
    <div className="table-wrap">
      <table className="table audit stack">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Deployment</th>
            <th scope="col">Role</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <AuditRow key={e.id} orgId={orgId} e={e} />
          ))}
        </tbody>
      </table>
    </div>
  )
}

function AuditRow({ orgId, e }: { orgId: string; e: AuditEvent }): ReactNode {
  const dep = e.deploymentId
  const role = detail(e, 'roleArn')
  const kid = detail(e, 'kid')
  const jti = detail(e, 'jti')
  return (
    <tr>
      <td data-label="Time" className="nowrap">
        {formatTime(e.createdAt)}
      </td>
      <td data-label="Event">
        <code>{e.action}</code>
        {jti === undefined ? null : <div className="muted small">jti {shortId(jti)}</div>}
        {kid === undefined ? null : (
          <div className="muted small">
            signing key <code title={kid}>{shortId(kid)}</code>
          </div>
        )}
        {Object.keys(e.details).length > 0 ? (
          <details className="audit-details">
            <summary>Details</summary>
            <pre>{JSON.stringify(e.details, null, 2)}</pre>
          </details>
        ) : null}
      </td>
      <td data-label="Deployment">
        {dep === null ? (
          '—'
        ) : (
          <Link to={`/orgs/${enc(orgId)}/deployments/${enc(dep)}`}>
            <code>{shortId(dep)}</code>
          </Link>
        )}
      </td>
      <td data-label="Role">{role === undefined ? '—' : <code className="wrap">{role}</code>}</td>
      <td data-label="By" className="actor">
        <Actor e={e} />
      </td>
    </tr>
  )
}

/** Who acted, in full: which agent (its token's name), which API key (email and key name). */
export function actorWords(e: AuditEvent): { who: string; how: string | null } {
  const id = e.actorId ?? ''
  switch (e.actorType) {
    case 'agent':
      return { who: `agent ${e.actorName ?? id}`, how: e.actorName === null ? null : shortId(id) }
    case 'api-key':
      return {
        who: e.actorEmail ?? id,
        how: e.actorName === null ? `API key ${id}` : `API key “${e.actorName}”`,
      }
    case 'owner':
      return { who: e.actorEmail ?? 'owner', how: 'installation owner key' }
    case 'system':
      return { who: 'keyless', how: 'the control plane itself' }
    default:
      return { who: e.actorEmail ?? e.actorType, how: id === '' ? null : id }
  }
}

function Actor({ e }: { e: AuditEvent }): ReactNode {
  const { who, how } = actorWords(e)
  return (
    <>
      <span data-testid="audit-actor">{who}</span>
      {how === null ? null : <div className="muted small">{how}</div>}
    </>
  )
}
