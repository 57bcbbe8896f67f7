import type { ReactNode } from 'react'
import type { Credential, Deployment } from '../api/types'
import { Section } from '../ui/layout'

type Azure = Extract<Credential, { type: 'azure-oidc' }>
type Gcp = Extract<Credential, { type: 'gcp-oidc' }>
const isAzure = (c: Credential): c is Azure => c.type === 'azure-oidc'
const isGcp = (c: Credential): c is Gcp => c.type === 'gcp-oidc'

/**
 * Which credential of a cloud a card shows: once claimed, the one the deployment was claimed with
 * (`used`; `moved` when it is no longer assigned to the project but the organization still has it;
 * `gone` when the page knows only its id); before the claim, the project's current one (`next`).
 */
type Shown<C> =
  | { readonly kind: 'used' | 'moved' | 'next'; readonly c: C }
  | { readonly kind: 'gone'; readonly id: string }

function shownOf<C extends Credential>(
  d: Deployment,
  finished: boolean,
  isKind: (c: Credential) => c is C,
  lists: {
    readonly project: readonly Credential[] | undefined
    readonly org: readonly Credential[] | undefined
  },
  usedId: string | null,
): readonly Shown<C>[] {
  // Until the project's credentials load, nothing: a claimed one would look gone.
  if (lists.project === undefined) return []
  const assigned = lists.project.filter(isKind)
  if (d.claimedAt !== null && d.status !== 'queued') {
    if (usedId === null) return []
    const c = assigned.find((x) => x.id === usedId)
    if (c !== undefined) return [{ kind: 'used', c }]
    // Until the organization's credentials load, nothing either (they may still name it).
    if (lists.org === undefined) return []
    const elsewhere = lists.org.filter(isKind).find((x) => x.id === usedId)
    return [
      elsewhere === undefined ? { kind: 'gone', id: usedId } : { kind: 'moved', c: elsewhere },
    ]
  }
  // Never claimed and finished (cancelled in the queue): it used no credential.
  return finished ? [] : assigned.map((c) => ({ kind: 'next', c }))
}

/**
 * A card per cloud the deployment works in: the AWS role (when it resolved one, or has an AWS
 * credential, or may still resolve one), the Azure application and the GCP service account of the
 * credentials it was claimed with (before the claim: the project's, which it will use); none when
 * it uses no cloud.
 */
export function CloudCards({
  deployment: d,
  credentials,
  known,
  finished,
}: {
  deployment: Deployment
  credentials: readonly Credential[] | undefined
  /**
   * The organization's credentials (empty when they could not be read; undefined while loading):
   * what a credential no longer assigned to the project was.
   */
  known?: readonly Credential[] | undefined
  finished: boolean
}): ReactNode {
  const list = credentials ?? []
  const lists = { project: credentials, org: known }
  const azure = shownOf(d, finished, isAzure, lists, d.azureCredentialId)
  const gcp = shownOf(d, finished, isGcp, lists, d.gcpCredentialId)
  const aws =
    d.roleArn !== null ||
    d.assumedRoleArn !== null ||
    d.credentialId !== null ||
    list.some((c) => c.type === 'aws-oidc') ||
    (!finished && credentials !== undefined && azure.length + gcp.length === 0)
  return (
    <>
      {aws ? <AwsRole d={d} finished={finished} /> : null}
      {azure.map((s) =>
        s.kind === 'gone' ? (
          <GoneCredential key={s.id} title="Azure app" id={s.id} finished={finished} />
        ) : (
          <AzureApp key={s.c.id} c={s.c} note={noteOf(s.kind, finished, s.c.id)} />
        ),
      )}
      {gcp.map((s) =>
        s.kind === 'gone' ? (
          <GoneCredential key={s.id} title="GCP service account" id={s.id} finished={finished} />
        ) : (
          <GcpServiceAccount key={s.c.id} c={s.c} note={noteOf(s.kind, finished, s.c.id)} />
        ),
      )}
    </>
  )
}

function noteOf(kind: 'used' | 'moved' | 'next', finished: boolean, id: string): string {
  if (kind === 'next') return 'The project’s credential, which this deployment will use.'
  const ran = finished
    ? 'The credential this deployment ran with'
    : 'The credential this deployment runs with'
  return kind === 'used'
    ? `${ran}.`
    : `${ran} (${id}); it is no longer assigned to the project (reassigned or unassigned).`
}

/** The claim's credential, no longer assigned to the project: its id is all the page knows. */
function GoneCredential({
  title,
  id,
  finished,
}: {
  title: string
  id: string
  finished: boolean
}): ReactNode {
  return (
    <Section title={title}>
      <p className="muted" data-testid="credential-note">
        {finished ? 'This deployment ran with' : 'This deployment runs with'} credential{' '}
        <code>{id}</code>, which is no longer assigned to the project (reassigned or unassigned).
      </p>
      <dl className="facts">
        <dt>Credential</dt>
        <dd>
          <code>{id}</code>
        </dd>
      </dl>
    </Section>
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

function AzureApp({ c, note }: { c: Azure; note: string }): ReactNode {
  return (
    <Section title="Azure app">
      <p className="muted" data-testid="credential-note">
        {note}
      </p>
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

function GcpServiceAccount({ c, note }: { c: Gcp; note: string }): ReactNode {
  return (
    <Section title="GCP service account">
      <p className="muted" data-testid="credential-note">
        {note}
      </p>
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
