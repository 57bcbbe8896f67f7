import { Fragment, useState, type ReactNode } from 'react'
import { azureSetup, type AzureSetupFormat } from '../api/azure-setup'
import { loadOrgTree } from '../api/org-tree'
import type { AzureSetupResponse } from '../api/types'
import { CopyValue } from '../ui/copy'
import { Empty } from '../ui/feedback'
import { Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { OverLimitFix } from './azure-over-limit'
import { FicTables, SubjectsTable } from './azure-setup-tables'
import { GeneratedSetup, SetupPageShell } from './setup-shell'

const FORMATS: ReadonlyArray<readonly [AzureSetupFormat, string]> = [
  ['terraform', 'Terraform'],
  ['cli', 'az CLI'],
  ['json', 'Graph JSON'],
]

/** What Entra must trust for the organization's Azure credentials (`keyless setup azure`). */
export function AzureSetupPage({ orgId }: { orgId: string }): ReactNode {
  const [format, setFormat] = useState<AzureSetupFormat>('terraform')
  const [state, reload] = useAsync(
    (signal) => azureSetup.get(orgId, format, signal),
    [orgId, format],
  )
  const [tree] = useAsync((signal) => loadOrgTree(orgId, signal), [orgId])
  return (
    <SetupPageShell
      title="Azure setup"
      description="The federated identity credentials Entra needs so that this organization's deployments sign in to Azure without a secret."
      loadingLabel="Loading the Azure setup…"
      state={state}
      reload={reload}
    >
      {(setup) => (
        <>
          <Identity setup={setup} />
          <Problems setup={setup} onFixed={reload} />
          {setup.credentials.length === 0 ? null : (
            <>
              <Section title="Subjects per environment">
                <p className="muted">
                  Entra compares the subject exactly (case-sensitive): each row needs a federated
                  credential on its application.
                </p>
                <SubjectsTable setup={setup} tree={tree.data} />
              </Section>
              <Section title="Federated identity credentials needed">
                <p className="muted">At most 20 per application or managed identity.</p>
                <FicTables setup={setup} />
              </Section>
              <GeneratedSetup
                cloud="azure"
                cloudName="Azure"
                applyVia="Graph"
                formats={FORMATS}
                format={format}
                onFormat={setFormat}
                content={setup.content}
                orgId={orgId}
                nothingYet="Nothing to generate until every application fits (see above)."
              />
            </>
          )}
        </>
      )}
    </SetupPageShell>
  )
}

function Identity({ setup }: { setup: AzureSetupResponse }): ReactNode {
  return (
    <Section title="Identity provider">
      <dl className="facts wide">
        <dt>Issuer (exactly as tokens carry it)</dt>
        <dd>
          <CopyValue value={setup.issuer} label="issuer" />
        </dd>
        {setup.credentials.map((c) => (
          <Fragment key={c.id}>
            <dt>Audience of {c.name}</dt>
            <dd>
              <CopyValue value={c.audience} label={`audience of ${c.name}`} />
              <p className="hint">
                Application <code>{c.clientId}</code>
                {c.planClientId === null ? null : (
                  <>
                    {' '}
                    (plan phase: <code>{c.planClientId}</code>)
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

function Problems({
  setup,
  onFixed,
}: {
  setup: AzureSetupResponse
  onFixed: () => void
}): ReactNode {
  return (
    <>
      {setup.overLimit.length === 0 ? null : (
        <div className="banner danger" role="alert" data-testid="azure-over-limit">
          <strong>Over Entra’s limit.</strong>
          {setup.overLimit.map((o) => (
            <OverLimitFix key={o.clientId} over={o} setup={setup} onFixed={onFixed} />
          ))}
        </div>
      )}
      {setup.credentials.length === 0 ? (
        <Empty title="No Azure credential yet">
          Create an Azure OIDC credential (Credentials) with the application’s client id and assign
          it to a project; its federated credentials appear here.
        </Empty>
      ) : (
        setup.notes.map((n) => (
          <p key={n} className="banner warning" role="status">
            {n}
          </p>
        ))
      )}
    </>
  )
}
