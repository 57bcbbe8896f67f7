import { useEffect, type ReactNode } from 'react'
import { enc } from '../api/client'
import { credentials } from '../api/credentials'
import { deployments } from '../api/deployments'
import { environments } from '../api/environments'
import { FINISHED } from '../api/types'
import { Link } from '../router'
import { Badge } from '../ui/badge'
import { ErrorState, FormError, Loading } from '../ui/feedback'
import { formatTime } from '../ui/formatting'
import { PageHeader, Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { useMutation } from '../ui/use-mutation'
import { ClaimsTable } from './claims'
import { CloudCards } from './deployment-clouds'
import { Failure } from './deployment-failure'
import { LiveLog } from './deployment-log'
import { ApprovalFacts, ApprovalPanel, PlanSection } from './deployment-plan'

export function DeploymentPage({
  orgId,
  deploymentId,
}: {
  orgId: string
  deploymentId: string
}): ReactNode {
  const [state, reload] = useAsync(
    (signal) => deployments.get(deploymentId, signal),
    [deploymentId],
  )
  const d = state.data
  const finished = d !== undefined && FINISHED.includes(d.status)
  // While it runs, refresh the deployment (status, steps, role) every 2 s.
  useEffect(() => {
    if (d === undefined || finished) return undefined
    const t = window.setInterval(reload, 2000)
    return () => window.clearInterval(t)
  }, [d, finished, reload])
  const envId = d?.environmentId
  const [env] = useAsync(
    (signal) =>
      envId === undefined ? Promise.resolve(undefined) : environments.get(envId, signal),
    [envId],
  )
  const projectId = d?.projectId
  const [creds] = useAsync(
    (signal) =>
      projectId === undefined
        ? Promise.resolve(undefined)
        : credentials.forProject(projectId, signal),
    [projectId],
  )
  // The organization's credentials, only when the deployment ran with an Azure or GCP one the
  // project no longer has: its card still shows what that credential was.
  const assignedIds = creds.data?.items.map((c) => c.id)
  const missing = [d?.azureCredentialId, d?.gcpCredentialId].some(
    (id) => id != null && assignedIds !== undefined && !assignedIds.includes(id),
  )
  const credentialsOrg = missing ? d?.organizationId : undefined
  const [orgCreds] = useAsync(
    (signal) =>
      credentialsOrg === undefined
        ? Promise.resolve(undefined)
        : credentials.list(credentialsOrg, signal).catch(() => []),
    [credentialsOrg],
  )
  if (state.status === 'error' && d === undefined)
    return (
      <div className="page">
        <PageHeader title="Deployment" />
        <ErrorState error={state.error} onRetry={reload} />
      </div>
    )
  if (d === undefined) return <Loading label="Loading deployment…" />
  const claims = d.lastTokenClaims
  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/orgs/${enc(orgId)}/deployments`}>Deployments</Link>{' '}
        <span aria-hidden="true">/</span> <span aria-current="page">{d.id}</span>
      </nav>
      <PageHeader
        title={`Deployment ${d.id}`}
        description={
          <>
            <Badge value={d.status} /> {d.type} of{' '}
            <Link to={`/orgs/${enc(orgId)}/environments/${enc(d.environmentId)}`}>
              {env.data?.name ?? d.environmentId}
            </Link>
          </>
        }
        actions={finished ? undefined : <CancelButton deploymentId={d.id} onDone={reload} />}
      />
      {d.status === 'failed' ? <Failure deployment={d} /> : null}
      {d.status === 'awaiting_approval' ? <ApprovalPanel d={d} onDone={reload} /> : null}
      {d.plan === null ? null : <PlanSection plan={d.plan} />}
      {d.status === 'queued' ? (
        <div className="banner info" role="status">
          <strong>Queued.</strong>{' '}
          {d.waitingFor !== null ? (
            <span data-testid="waiting-for">
              {d.waitingFor.message} (
              <Link to={`/orgs/${enc(orgId)}/deployments/${enc(d.waitingFor.deploymentId)}`}>
                {d.waitingFor.deploymentId}
              </Link>
              )
            </span>
          ) : (
            <>
              Waiting for an agent of this organization to pick it up. If nothing happens, create an
              agent token on <Link to={`/orgs/${enc(orgId)}/access`}>Agents &amp; API keys</Link>{' '}
              and start one: <code>keyless agent --server URL --token TOKEN</code> (or run{' '}
              <code>keyless up</code> for a local stack).
            </>
          )}
        </div>
      ) : null}
      <div className="grid-2 top">
        <Section title="Summary">
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <span aria-live="polite" data-testid="deployment-status">
                {d.status}
              </span>
            </dd>
            <dt>Type</dt>
            <dd>
              {d.type}
              {d.runPhase === null ? null : <span className="muted"> · {d.runPhase} phase</span>}
              <ApprovalFacts d={d} />
            </dd>
            <dt>Deployer</dt>
            <dd>{d.deployerEmail}</dd>
            <dt>Created</dt>
            <dd>{formatTime(d.createdAt)}</dd>
            <dt>Started</dt>
            <dd>{formatTime(d.startedAt)}</dd>
            <dt>Finished</dt>
            <dd>{formatTime(d.finishedAt)}</dd>
          </dl>
        </Section>
        <CloudCards
          deployment={d}
          credentials={creds.data?.items}
          known={orgCreds.data}
          finished={finished}
        />
      </div>
      <Section title="Steps">
        {d.steps.length === 0 ? (
          <p className="muted">
            {finished
              ? 'No steps were reported.'
              : 'Steps appear when an agent starts the deployment.'}
          </p>
        ) : (
          <ol className="steps-list">
            {d.steps.map((s) => (
              <li key={`${s.index}-${s.name}`}>
                <Badge value={s.status} /> <span>{s.name}</span>
                {s.exitCode === null ? null : <span className="muted"> exit {s.exitCode}</span>}
              </li>
            ))}
          </ol>
        )}
      </Section>
      <LiveLog deploymentId={d.id} finished={finished} onEnd={reload} />
      <Section title="Token claims">
        {claims === null ? (
          <p className="muted">
            {finished
              ? 'No token was minted for this deployment.'
              : 'The claims appear once the deployment’s token is minted.'}{' '}
            The token itself is never shown.
          </p>
        ) : (
          <>
            <p className="muted">
              The claims of the token minted for this deployment. The token itself is never shown.
            </p>
            <ClaimsTable claims={claims} />
          </>
        )}
      </Section>
    </div>
  )
}

function CancelButton({
  deploymentId,
  onDone,
}: {
  deploymentId: string
  onDone: () => void
}): ReactNode {
  const m = useMutation()
  return (
    <div>
      <button
        type="button"
        className="button secondary"
        disabled={m.busy}
        onClick={() =>
          void m.run(async () => {
            await deployments.cancel(deploymentId)
            onDone()
          })
        }
      >
        Cancel deployment
      </button>
      <FormError error={m.error} />
    </div>
  )
}
