import { Fragment, useState, type ReactNode } from 'react'
import { gcpSetup, type GcpSetupFormat } from '../api/gcp-setup'
import type { GcpSetupResponse } from '../api/types'
import { CopyValue } from '../ui/copy'
import { Empty } from '../ui/feedback'
import { Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { GcpProviderLint } from './gcp-provider-lint'
import { BindingsTable, ProvidersTable, TooLong } from './gcp-setup-tables'
import { GeneratedSetup, SetupPageShell } from './setup-shell'

const FORMATS: ReadonlyArray<readonly [GcpSetupFormat, string]> = [
  ['terraform', 'Terraform'],
  ['gcloud', 'gcloud'],
  ['json', 'IAM JSON'],
]

/** What Google must trust for the organization's GCP credentials (`keyless setup gcp`). */
export function GcpSetupPage({ orgId }: { orgId: string }): ReactNode {
  const [format, setFormat] = useState<GcpSetupFormat>('terraform')
  const [state, reload] = useAsync((signal) => gcpSetup.get(orgId, format, signal), [orgId, format])
  return (
    <SetupPageShell
      title="GCP setup"
      description="The workload identity pools, providers and service account bindings Google needs so that this organization's deployments act as a service account without a key."
      loadingLabel="Loading the GCP setup…"
      state={state}
      reload={reload}
    >
      {(setup) => (
        <>
          <Identity setup={setup} />
          <TooLong setup={setup} />
          {setup.credentials.length === 0 ? (
            <Empty title="No GCP credential yet">
              Create a GCP OIDC credential (Credentials) with the pool, provider and service account
              and assign it to a project; what Google needs appears here.
            </Empty>
          ) : null}
          {setup.notes.map((n) => (
            <p key={n} className="banner warning" role="status">
              {n}
            </p>
          ))}
          {setup.providers.length === 0 ? null : (
            <>
              <Section title="Workload identity providers">
                <p className="muted">
                  Google maps <code>google.subject</code> from the token’s <code>sub</code> and
                  admits a token only when the attribute condition holds: it pins this organization.
                </p>
                <ProvidersTable setup={setup} />
              </Section>
              <Section title="Service account bindings">
                <p className="muted">
                  <code>roles/iam.workloadIdentityUser</code> on each service account, for the
                  pool’s principals of this organization.
                </p>
                <BindingsTable setup={setup} />
              </Section>
            </>
          )}
          {setup.credentials.length === 0 ? null : (
            <GeneratedSetup
              cloud="gcp"
              cloudName="GCP"
              applyVia="IAM"
              formats={FORMATS}
              format={format}
              onFormat={setFormat}
              content={setup.content}
              orgId={orgId}
              nothingYet="Nothing to generate until every subject fits (see above)."
            />
          )}
          <GcpProviderLint orgId={orgId} />
        </>
      )}
    </SetupPageShell>
  )
}

function Identity({ setup }: { setup: GcpSetupResponse }): ReactNode {
  return (
    <Section title="Identity provider">
      <dl className="facts wide">
        <dt>Issuer URI (exactly as tokens carry it)</dt>
        <dd>
          <CopyValue value={setup.issuer} label="issuer" />
        </dd>
        {setup.credentials.map((c) => (
          <Fragment key={c.id}>
            <dt>Audience of {c.name}</dt>
            <dd>
              <CopyValue value={c.audience} label="audience" />
              <p className="hint">
                Pool <code className="wrap">{c.poolId}</code>, provider{' '}
                <code className="wrap">{c.providerId}</code> in project{' '}
                <code>{c.projectNumber}</code>
                {c.serviceAccountEmail === null ? null : (
                  <>
                    ; service account <code className="wrap">{c.serviceAccountEmail}</code>
                  </>
                )}
                ; subject template <code className="wrap">{c.subjectTemplate}</code>
              </p>
            </dd>
          </Fragment>
        ))}
      </dl>
    </Section>
  )
}
