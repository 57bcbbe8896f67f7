import { useState, type ReactNode } from 'react'
import { enc } from '../api/client'
import { credentials } from '../api/credentials'
import { environments } from '../api/environments'
import type { Cloud, Credential, OidcPreview } from '../api/types'
import { Link } from '../router'
import { ErrorState, Loading } from '../ui/feedback'
import { Section } from '../ui/layout'
import { Tabs } from '../ui/tabs'
import { useAsync } from '../ui/use-async'
import { ClaimsTable } from './claims'

const CLOUD_OF: Readonly<Record<Credential['type'], Cloud>> = {
  'aws-oidc': 'aws',
  'azure-oidc': 'azure',
  'gcp-oidc': 'gcp',
}
const CLOUD_LABEL: Readonly<Record<Cloud, string>> = { aws: 'AWS', azure: 'Azure', gcp: 'GCP' }

/** The clouds the project has a credential for, in the API's order; AWS when it has none. */
export function previewClouds(assigned: readonly Credential[]): Cloud[] {
  const clouds = [...new Set(assigned.map((c) => CLOUD_OF[c.type]))]
  return clouds.length === 0 ? ['aws'] : clouds
}

/** The claims of the environment's next token, one tab per cloud the project has a credential for. */
export function NextToken({
  orgId,
  environmentId,
  projectId,
}: {
  orgId: string
  environmentId: string
  projectId: string
}): ReactNode {
  const [assigned] = useAsync((signal) => credentials.forProject(projectId, signal), [projectId])
  const clouds = previewClouds(assigned.data?.items ?? [])
  const [chosen, setChosen] = useState<Cloud>('aws')
  const cloud = clouds.includes(chosen) ? chosen : (clouds[0] ?? 'aws')
  return (
    <Section title="Next token (preview)">
      <p className="muted">
        The claims the next deployment of this environment would carry (unsigned), per cloud the
        project has a credential for. Use them to check a trust policy before the first run, or
        paste a policy in the <Link to={`/orgs/${enc(orgId)}/playground`}>trust playground</Link>.
      </p>
      {clouds.length < 2 ? null : (
        <Tabs
          tabs={clouds.map((c) => [c, `${CLOUD_LABEL[c]} token`] as const)}
          value={cloud}
          onChange={setChosen}
          label="Token for"
          panelId="next-token-panel"
        />
      )}
      <div id="next-token-panel" role="tabpanel" aria-label={`${CLOUD_LABEL[cloud]} token`}>
        {assigned.data === undefined && assigned.status !== 'error' ? (
          <Loading label="Loading claims…" />
        ) : (
          <CloudPreview
            key={cloud}
            orgId={orgId}
            environmentId={environmentId}
            cloud={cloud}
            assigned={assigned.data?.items ?? []}
          />
        )}
      </div>
    </Section>
  )
}

function CloudPreview({
  orgId,
  environmentId,
  cloud,
  assigned,
}: {
  orgId: string
  environmentId: string
  cloud: Cloud
  assigned: readonly Credential[]
}): ReactNode {
  const [state, reload] = useAsync(
    (signal) => environments.preview(environmentId, cloud, signal),
    [environmentId, cloud],
  )
  const p = state.data
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={reload} />
  if (p === undefined) return <Loading label="Loading claims…" />
  const credential = assigned.find((c) => c.id === p.credentialId)
  return (
    <>
      <dl className="facts preview-facts">
        {cloud === 'aws' ? (
          <AwsFacts orgId={orgId} p={p} />
        ) : (
          <>
            <dt>{cloud === 'azure' ? 'Application it would sign in as' : 'Identity'}</dt>
            <dd>
              <IdentityOf credential={credential} />
            </dd>
          </>
        )}
        {p.durationSeconds === null || cloud === 'azure' ? null : (
          <>
            <dt>{cloud === 'gcp' ? 'Access token lifetime' : 'Session duration'}</dt>
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
  )
}

function AwsFacts({ orgId, p }: { orgId: string; p: OidcPreview }): ReactNode {
  return (
    <>
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
            {p.roleSource === null ? null : <span className="muted"> from {p.roleSource}</span>}
          </>
        )}
      </dd>
    </>
  )
}

function IdentityOf({ credential: c }: { credential: Credential | undefined }): ReactNode {
  if (c === undefined) return <span className="muted">unknown credential</span>
  if (c.type === 'azure-oidc')
    return (
      <>
        <code>{c.clientId}</code> <span className="muted">from {c.name}</span>
      </>
    )
  if (c.type === 'gcp-oidc')
    return (
      <>
        {c.serviceAccountEmail === null ? (
          <span className="muted">the federated principal (no service account)</span>
        ) : (
          <code>{c.serviceAccountEmail}</code>
        )}{' '}
        <span className="muted">
          through {c.poolId} / {c.providerId}, from {c.name}
        </span>
      </>
    )
  return <code>{c.roleArn}</code>
}
