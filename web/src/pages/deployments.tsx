import { useEffect, type ReactNode } from 'react'
import { enc } from '../api/client'
import { deployments } from '../api/deployments'
import { environmentLabel, loadOrgTree, type EnvironmentRef } from '../api/org-tree'
import { FINISHED, type Deployment, type DeploymentStatus } from '../api/types'
import { Link, setQuery, useLocation } from '../router'
import { Badge } from '../ui/badge'
import { Empty, ErrorState, Loading } from '../ui/feedback'
import { SelectField } from '../ui/fields'
import { formatTime, shortId } from '../ui/formatting'
import { PageHeader, Section } from '../ui/layout'
import { Pager } from '../ui/pager'
import { useAsync } from '../ui/use-async'

const STATUSES: readonly DeploymentStatus[] = [
  'queued',
  'claimed',
  'running',
  'awaiting_approval',
  'succeeded',
  'failed',
  'cancelled',
  'rejected',
]

export function DeploymentsPage({ orgId }: { orgId: string }): ReactNode {
  const { search } = useLocation()
  const environmentId = search.get('environmentId') ?? ''
  const status = search.get('status') ?? ''
  const cursor = search.get('cursor') ?? ''
  const [tree] = useAsync((signal) => loadOrgTree(orgId, signal), [orgId])
  const [state, reload] = useAsync(
    (signal) => deployments.list(orgId, { environmentId, status, cursor, limit: 20 }, signal),
    [orgId, environmentId, status, cursor],
  )
  const envs = tree.data?.environments ?? []
  // Keep the list current while any deployment on the page is still queued or running.
  const active = (state.data?.items ?? []).some((d) => !FINISHED.includes(d.status))
  useEffect(() => {
    if (!active) return undefined
    const t = window.setInterval(reload, 3000)
    return () => window.clearInterval(t)
  }, [active, reload])
  return (
    <div className="page">
      <PageHeader
        title="Deployments"
        description="Every run of every environment, newest first. Open one to watch its log."
        actions={
          <button type="button" className="button secondary" onClick={reload}>
            Refresh
          </button>
        }
      />
      <Section title="Filter">
        <form
          className="filters"
          onSubmit={(e) => e.preventDefault()}
          aria-label="Filter deployments"
        >
          <SelectField
            label="Environment"
            value={environmentId}
            onChange={(e) => setQuery({ environmentId: e.target.value, status })}
          >
            <option value="">All environments</option>
            {envs.map((env) => (
              <option key={env.id} value={env.id}>
                {environmentLabel(env)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Status"
            value={status}
            onChange={(e) => setQuery({ environmentId, status: e.target.value })}
          >
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </SelectField>
        </form>
      </Section>
      <Section title="Results">
        {state.status === 'error' ? (
          <ErrorState error={state.error} onRetry={reload} />
        ) : state.data === undefined ? (
          <Loading label="Loading deployments…" />
        ) : (
          <>
            <DeploymentTable
              orgId={orgId}
              items={state.data.items}
              environments={envs}
              emptyHint={
                environmentId !== '' || status !== ''
                  ? 'No deployment matches these filters. Clear them to see everything.'
                  : 'No deployments yet. Open an environment and press Deploy.'
              }
            />
            <Pager
              hasPrevious={cursor !== ''}
              nextCursor={state.data.nextCursor}
              onFirst={() => setQuery({ environmentId, status })}
              onNext={(c) => setQuery({ environmentId, status, cursor: c })}
            />
          </>
        )}
      </Section>
    </div>
  )
}

export function DeploymentTable({
  orgId,
  items,
  environments,
  emptyHint,
}: {
  orgId: string
  items: Deployment[]
  environments: readonly EnvironmentRef[] | undefined
  emptyHint: string
}): ReactNode {
  if (items.length === 0) return <Empty title="No deployments">{emptyHint}</Empty>
  const envName = (d: Deployment): ReactNode => {
    const env = environments?.find((e) => e.id === d.environmentId)
    if (env !== undefined) return environmentLabel(env)
    return <code title={d.environmentId}>{shortId(d.environmentId)}</code>
  }
  return (
    <div className="table-wrap">
      <table className="table stack">
        <thead>
          <tr>
            <th scope="col">Deployment</th>
            <th scope="col">Status</th>
            <th scope="col">Type</th>
            <th scope="col">Environment</th>
            <th scope="col">Deployer</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.id}>
              <td data-label="Deployment">
                <Link to={`/orgs/${enc(orgId)}/deployments/${enc(d.id)}`}>
                  <code>{shortId(d.id)}</code>
                </Link>
              </td>
              <td data-label="Status">
                <Badge value={d.status} />
              </td>
              <td data-label="Type">{d.type}</td>
              <td data-label="Environment">{envName(d)}</td>
              <td data-label="Deployer">{d.deployerEmail}</td>
              <td data-label="Created">{formatTime(d.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
