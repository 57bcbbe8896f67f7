import type { ReactNode } from 'react'
import type { Credential, Deployment } from '../api/types'
import { Section } from '../ui/layout'

type Azure = Extract<Credential, { type: 'azure-oidc' }>
type Gcp = Extract<Credential, { type: 'gcp-oidc' }>

/**
 * A card per cloud the deployment works in: the AWS role (when it resolved one, or has an AWS
 * credential, or may still resolve one), the Azure application and the GCP service account of the
 * project's credentials; none when it uses no cloud.
 */
export function CloudCards({
  deployment: d,
  credentials,
  finished,
}: {
  deployment: Deployment
  credentials: readonly Credential[] | undefined
  finished: boolean
}): ReactNode {
  const list = credentials ?? []
  const azure = list.filter((c): c is Azure => c.type === 'azure-oidc')
  const gcp = list.filter((c): c is Gcp => c.type === 'gcp-oidc')
  const aws =
    d.roleArn !== null ||
    d.assumedRoleArn !== null ||
    d.credentialId !== null ||
    list.some((c) => c.type === 'aws-oidc') ||
    (!finished && credentials !== undefined && azure.length + gcp.length === 0)
  return (
    <>
      {aws ? <AwsRole d={d} finished={finished} /> : null}
      {azure.map((c) => (
        <AzureApp key={c.id} c={c} />
      ))}
      {gcp.map((c) => (
        <GcpServiceAccount key={c.id} c={c} />
      ))}
    </>
  )
}

function AwsRole({ d, finished }: { d: Deployment; finished: boolean }): ReactNode {
  return (
    <Section title="AWS role">
      <dl className="facts">
        <dt>Role</dt>
        <dd>
          {d.roleArn === null ? (
            <span className="muted">not resolved yet</span>
          ) : (
            <code>{d.roleArn}</code>
          )}
        </dd>
        {d.roleSource === null ? null : (
          <>
            <dt>From</dt>
            <dd>{d.roleSource}</dd>
          </>
        )}
        <dt>Assumed role</dt>
        <dd>
          {d.assumedRoleArn === null ? (
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
  )
}

function AzureApp({ c }: { c: Azure }): ReactNode {
  return (
    <Section title="Azure app">
      <dl className="facts">
        <dt>Application (client) id</dt>
        <dd>
          <code>{c.clientId}</code>
        </dd>
        {c.planClientId === null ? null : (
          <>
            <dt>Plan application</dt>
            <dd>
              <code>{c.planClientId}</code>
            </dd>
          </>
        )}
        <dt>Tenant</dt>
        <dd>
          <code>{c.tenantId}</code>
        </dd>
        <dt>Subscription</dt>
        <dd>
          <code>{c.subscriptionId}</code>
        </dd>
        <dt>Credential</dt>
        <dd>{c.name}</dd>
      </dl>
    </Section>
  )
}

function GcpServiceAccount({ c }: { c: Gcp }): ReactNode {
  return (
    <Section title="GCP service account">
      <dl className="facts">
        <dt>Service account</dt>
        <dd>
          {c.serviceAccountEmail === null ? (
            <span className="muted">none: the federated principal acts itself</span>
          ) : (
            <code>{c.serviceAccountEmail}</code>
          )}
        </dd>
        {c.planServiceAccountEmail === null ? null : (
          <>
            <dt>Plan service account</dt>
            <dd>
              <code>{c.planServiceAccountEmail}</code>
            </dd>
          </>
        )}
        <dt>Project</dt>
        <dd>
          <code>{`${c.gcpProjectId} (${c.projectNumber})`}</code>
        </dd>
        <dt>Pool / provider</dt>
        <dd>
          <code>{`${c.poolId} / ${c.providerId}`}</code>
        </dd>
        <dt>Credential</dt>
        <dd>{c.name}</dd>
      </dl>
    </Section>
  )
}
