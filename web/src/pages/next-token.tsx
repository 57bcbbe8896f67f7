import type { ReactNode } from 'react'
import { enc } from '../api/client'
import { environments } from '../api/environments'
import { Link } from '../router'
import { ErrorState, Loading } from '../ui/feedback'
import { Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { ClaimsTable } from './claims'

export function NextToken({
  orgId,
  environmentId,
}: {
  orgId: string
  environmentId: string
}): ReactNode {
  const [state, reload] = useAsync(
    (signal) => environments.preview(environmentId, signal),
    [environmentId],
  )
  const p = state.data
  return (
    <Section title="Next token (preview)">
      <p className="muted">
        The claims the next deployment of this environment would carry (unsigned). Use them to check
        a trust policy before the first run, or paste a policy in the{' '}
        <Link to={`/orgs/${enc(orgId)}/playground`}>trust playground</Link>.
      </p>
      {state.status === 'error' ? (
        <ErrorState error={state.error} onRetry={reload} />
      ) : p === undefined ? (
        <Loading label="Loading claims…" />
      ) : (
        <>
          <dl className="facts preview-facts">
            <dt>Role it would assume</dt>
            <dd>
              {p.roleArn === null ? (
                <span className="muted">
                  none: no credential is assigned to this project (
                  <Link to={`/orgs/${enc(orgId)}/credentials`}>assign one</Link>)
                </span>
              ) : (
                <>
                  <code>{p.roleArn}</code>
                  {p.roleSource === null ? null : (
                    <span className="muted"> from {p.roleSource}</span>
                  )}
                </>
              )}
            </dd>
            {p.durationSeconds === null ? null : (
              <>
                <dt>Session duration</dt>
                <dd>{p.durationSeconds} s</dd>
              </>
            )}
          </dl>
          {p.omittedTags.length === 0 ? null : (
            <div className="banner warning" role="status">
              <strong>Session tags AWS would reject are left out:</strong>
              <ul>
                {p.omittedTags.map((t) => (
                  <li key={t.key}>
                    <code>{t.key}</code>: {t.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <ClaimsTable claims={p.claims} />
        </>
      )}
    </Section>
  )
}
