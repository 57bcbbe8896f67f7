import { useEffect, useRef, useState, type ReactNode } from 'react'
import { api, enc } from '../api/client'
import { streamEvents } from '../api/sse'
import { FINISHED, type Deployment, type Environment } from '../api/types'
import { Link } from '../router'
import {
  Badge,
  ErrorState,
  FormError,
  formatTime,
  Loading,
  PageHeader,
  Section,
} from '../ui/components'
import { useAsync } from '../ui/use-async'
import { ClaimsTable } from './claims'

interface LogEntry {
  readonly stream: string
  readonly text: string
  readonly time?: string
}

export function DeploymentPage({
  orgId,
  deploymentId,
}: {
  orgId: string
  deploymentId: string
}): ReactNode {
  const [state, reload] = useAsync(
    (signal) => api.get<Deployment>(`/deployments/${enc(deploymentId)}`, signal),
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
      envId === undefined
        ? Promise.resolve(undefined)
        : api.get<Environment>(`/environments/${enc(envId)}`, signal),
    [envId],
  )
  if (state.status === 'error' && d === undefined)
    return (
      <div className="page">
        <PageHeader title="Deployment" />
        <ErrorState error={state.error} onRetry={reload} />
      </div>
    )
  if (d === undefined) return <Loading label="Loading deployment…" />
  const claims = d.lastTokenClaims ?? null
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
              {env.data?.name ?? d.environmentName ?? d.environmentId}
            </Link>
          </>
        }
        actions={finished ? undefined : <CancelButton deploymentId={d.id} onDone={reload} />}
      />
      {d.status === 'failed' ? <Failure deployment={d} /> : null}
      {d.status === 'queued' ? (
        <div className="banner info" role="status">
          <strong>Queued.</strong> Waiting for an agent of this organization to pick it up. If
          nothing happens, create an agent token on{' '}
          <Link to={`/orgs/${enc(orgId)}/access`}>Agents &amp; API keys</Link> and start one:{' '}
          <code>keyless agent --server URL --token TOKEN</code> (or run <code>keyless up</code> for
          a local stack).
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
            <dd>{d.type}</dd>
            <dt>Deployer</dt>
            <dd>{d.deployerEmail ?? '—'}</dd>
            <dt>Created</dt>
            <dd>{formatTime(d.createdAt)}</dd>
            <dt>Started</dt>
            <dd>{formatTime(d.startedAt)}</dd>
            <dt>Finished</dt>
            <dd>{formatTime(d.finishedAt)}</dd>
          </dl>
        </Section>
        <Section title="AWS role">
          <dl className="facts">
            <dt>Role</dt>
            <dd>
              {d.roleArn === undefined || d.roleArn === null ? (
                <span className="muted">not resolved yet</span>
              ) : (
                <code>{d.roleArn}</code>
              )}
            </dd>
            {d.roleSource === undefined || d.roleSource === null ? null : (
              <>
                <dt>From</dt>
                <dd>{d.roleSource}</dd>
              </>
            )}
            <dt>Assumed role</dt>
            <dd>
              {d.assumedRoleArn === undefined || d.assumedRoleArn === null ? (
                <span className="muted">{finished ? 'no AWS session' : 'not yet'}</span>
              ) : (
                <code>{d.assumedRoleArn}</code>
              )}
            </dd>
            <dt>RoleSessionName</dt>
            <dd>
              <code>{d.id}</code>
            </dd>
          </dl>
        </Section>
      </div>
      <Section title="Steps">
        {d.steps === undefined || d.steps.length === 0 ? (
          <p className="muted">
            {finished
              ? 'No steps were reported.'
              : 'Steps appear when an agent starts the deployment.'}
          </p>
        ) : (
          <ol className="steps-list">
            {d.steps.map((s, i) => (
              <li key={`${s.index ?? i}-${s.name}`}>
                <Badge value={s.status} /> <span>{s.name}</span>
                {s.exitCode === undefined || s.exitCode === null ? null : (
                  <span className="muted"> exit {s.exitCode}</span>
                )}
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

function Failure({ deployment: d }: { deployment: Deployment }): ReactNode {
  const f = d.failure
  const lines = (f?.message ?? d.message ?? '').split('\n')
  const headline = lines[0] ?? ''
  let facts = lines.slice(1)
  const cut = facts.findIndex((l) => /explains:\s*$/u.test(l))
  if (cut >= 0 && f?.explanation !== undefined) facts = facts.slice(0, cut)
  const explanation = f?.explanation ?? []
  return (
    <div className="banner danger failure" role="alert">
      <p>
        <strong>This deployment failed.</strong>{' '}
        {f?.code === undefined ? null : <code className="failure-code">{f.code}</code>}
      </p>
      <p className="failure-headline">{headline}</p>
      {facts.length === 0 ? null : (
        <pre className="failure-facts">{facts.map((l) => l.trim()).join('\n')}</pre>
      )}
      {explanation.length === 0 ? null : (
        <details className="failure-explanation">
          <summary>Which statement and condition failed ({explanation.length} lines)</summary>
          <ul className="explanation">
            {explanation.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </details>
      )}
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
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  return (
    <div>
      <button
        type="button"
        className="button secondary"
        disabled={busy}
        onClick={() => {
          setBusy(true)
          api.post(`/deployments/${enc(deploymentId)}/cancel`).then(
            () => {
              setBusy(false)
              onDone()
            },
            (err: unknown) => {
              setError(err)
              setBusy(false)
            },
          )
        }}
      >
        Cancel deployment
      </button>
      <FormError error={error} />
    </div>
  )
}

function parseMessage(data: string): string {
  try {
    const v = JSON.parse(data) as { message?: unknown }
    return typeof v.message === 'string' ? v.message : data
  } catch {
    return data
  }
}

function parseLog(data: string): LogEntry[] {
  try {
    const value: unknown = JSON.parse(data)
    const list = Array.isArray(value) ? value : [value]
    return list.flatMap((v): LogEntry[] => {
      if (typeof v === 'string') return [{ stream: 'stdout', text: v }]
      if (typeof v === 'object' && v !== null) {
        const o = v as { stream?: unknown; text?: unknown; time?: unknown; lines?: unknown }
        if (Array.isArray(o.lines)) return parseLog(JSON.stringify(o.lines))
        if (typeof o.text === 'string')
          return [
            {
              stream: typeof o.stream === 'string' ? o.stream : 'stdout',
              text: o.text,
              ...(typeof o.time === 'string' ? { time: o.time } : {}),
            },
          ]
      }
      return []
    })
  } catch {
    return [{ stream: 'stdout', text: data }]
  }
}

function LiveLog({
  deploymentId,
  finished,
  onEnd,
}: {
  deploymentId: string
  finished: boolean
  onEnd: () => void
}): ReactNode {
  const [lines, setLines] = useState<LogEntry[]>([])
  const [phase, setPhase] = useState<'connecting' | 'live' | 'ended' | 'error'>('connecting')
  const [error, setError] = useState<string | null>(null)
  const [follow, setFollow] = useState(true)
  const [attempt, setAttempt] = useState(0)
  const preRef = useRef<HTMLPreElement>(null)
  const onEndRef = useRef(onEnd)
  onEndRef.current = onEnd
  useEffect(() => {
    const controller = new AbortController()
    setLines([])
    setPhase('connecting')
    setError(null)
    let ended = false
    streamEvents(
      `/deployments/${enc(deploymentId)}/logs`,
      (event) => {
        if (event.event === 'error') {
          setError(parseMessage(event.data))
          return
        }
        if (event.event === 'end') {
          ended = true
          setPhase('ended')
          onEndRef.current()
          return
        }
        setPhase('live')
        if (event.event === 'message' || event.event === 'log' || event.event === 'line') {
          const entries = parseLog(event.data)
          if (entries.length > 0) setLines((l) => [...l, ...entries])
        } else if (event.event === 'status') {
          onEndRef.current()
        }
      },
      controller.signal,
      () => setPhase('live'),
    ).then(
      () => {
        if (!controller.signal.aborted) {
          setPhase(ended ? 'ended' : 'error')
          if (!ended) setError('The log stream closed before the deployment finished.')
        }
      },
      (err: unknown) => {
        if (controller.signal.aborted) return
        setPhase('error')
        setError(err instanceof Error ? err.message : String(err))
      },
    )
    return () => controller.abort()
  }, [deploymentId, attempt])
  useEffect(() => {
    const pre = preRef.current
    if (follow && pre !== null) pre.scrollTop = pre.scrollHeight
  }, [lines, follow])
  const statusText =
    phase === 'connecting'
      ? 'Connecting to the log…'
      : phase === 'live'
        ? finished
          ? 'Log'
          : 'Live: new lines appear as the agent sends them.'
        : phase === 'ended'
          ? 'Log complete.'
          : `Log stream interrupted: ${error ?? ''}`
  return (
    <Section
      title="Log"
      actions={
        <label className="inline-check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />{' '}
          Follow
        </label>
      }
    >
      <p className="muted log-status" role="status" data-testid="log-status" data-phase={phase}>
        {statusText}{' '}
        {phase === 'error' ? (
          <button
            type="button"
            className="button secondary small"
            onClick={() => setAttempt((a) => a + 1)}
          >
            Reconnect
          </button>
        ) : null}
      </p>
      <pre
        className="log"
        ref={preRef}
        tabIndex={0}
        aria-label="Deployment log"
        data-testid="deployment-log"
      >
        {lines.length === 0 ? (
          <span className="muted">{phase === 'ended' ? 'No output.' : 'Waiting for output…'}</span>
        ) : (
          lines.map((l, i) => (
            <span key={i} className={`log-line log-${l.stream}`}>
              {l.text}
              {'\n'}
            </span>
          ))
        )}
      </pre>
    </Section>
  )
}
