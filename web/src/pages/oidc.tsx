import { useState, type ReactNode } from 'react'
import { oidc } from '../api/oidc'
import { organizations } from '../api/organizations'
import { loadOrgTree } from '../api/org-tree'
import type { OidcSettings, ThumbprintResponse } from '../api/types'
import { CopyValue } from '../ui/copy'
import { ConfirmDialog } from '../ui/dialog'
import { ErrorState, Loading } from '../ui/feedback'
import { TextField } from '../ui/fields'
import { MutationForm } from '../ui/form'
import { PageHeader, Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { useMutation } from '../ui/use-mutation'
import { SetupSnippets, StopMinting } from './oidc-setup'

const PLACEHOLDERS = [
  'organizationId',
  'projectId',
  'environmentId',
  'templateId',
  'deploymentType',
  'deploymentId',
]

export function OidcPage({ orgId }: { orgId: string }): ReactNode {
  const [state, reload] = useAsync((signal) => oidc.settings(orgId, signal), [orgId])
  if (state.status === 'error' && state.data === undefined)
    return (
      <div className="page">
        <PageHeader title="OIDC & AWS setup" />
        <ErrorState error={state.error} onRetry={reload} />
      </div>
    )
  if (state.data === undefined) return <Loading label="Loading OIDC settings…" />
  const info = state.data
  return (
    <div className="page">
      <PageHeader
        title="OIDC & AWS setup"
        description="What to enter at AWS so that it trusts this organization's deployment tokens."
      />
      {info.mintingStopped ? (
        <div className="banner danger" role="alert">
          <strong>Minting is stopped.</strong> No deployment of this organization can get a token
          until you turn minting back on below.
        </div>
      ) : null}
      <Section title="Identity provider">
        <dl className="facts wide">
          <dt>Issuer URL (provider URL at AWS)</dt>
          <dd>
            <CopyValue value={info.issuer} label="issuer URL" />
          </dd>
          <dt>Audience (client ID at AWS)</dt>
          <dd>
            <CopyValue value={info.audience} label="audience" />
          </dd>
          <dt>Condition-key prefix</dt>
          <dd>
            <CopyValue value={info.conditionKeyPrefix} label="condition-key prefix" />
            <p className="hint">
              Trust policies test <code>{info.conditionKeyPrefix}:aud</code> and{' '}
              <code>{info.conditionKeyPrefix}:sub</code>; any other prefix never matches.
            </p>
          </dd>
          <dt>Example subject</dt>
          <dd>
            <CopyValue value={info.exampleSubject} label="example subject" />
          </dd>
          <dt>JWKS</dt>
          <dd>
            <code>{info.jwksUri}</code>
          </dd>
          <dt>Thumbprint</dt>
          <dd>
            <Thumbprint orgId={orgId} issuer={info.issuer} />
          </dd>
        </dl>
      </Section>
      <SubjectTemplate key={info.subjectTemplate} orgId={orgId} info={info} onSaved={reload} />
      <SetupSnippets
        orgId={orgId}
        version={`${info.subjectTemplate}|${info.previousSubjectTemplate ?? ''}|${String(info.sessionTags)}`}
      />
      <StopMinting orgId={orgId} stopped={info.mintingStopped} onChanged={reload} />
    </div>
  )
}

function Thumbprint({ orgId, issuer }: { orgId: string; issuer: string }): ReactNode {
  const [state] = useAsync<ThumbprintResponse>((signal) => oidc.thumbprint(orgId, signal), [orgId])
  if (state.status === 'loading') return <span className="muted">Computing…</span>
  if (state.status === 'error')
    return (
      <span className="muted">
        Not available here. Run <code>keyless thumbprint {issuer}</code>.
      </span>
    )
  if (state.data.thumbprint === null) return <span className="muted">{state.data.message}</span>
  return <CopyValue value={state.data.thumbprint} label="thumbprint" />
}

function SubjectTemplate({
  orgId,
  info,
  onSaved,
}: {
  orgId: string
  info: OidcSettings
  onSaved: () => void
}): ReactNode {
  const [template, setTemplate] = useState(info.subjectTemplate)
  const m = useMutation()
  const [confirm, setConfirm] = useState(false)
  const [tree] = useAsync((signal) => loadOrgTree(orgId, signal), [orgId])
  const env = tree.data?.environments[0]
  const values: Record<string, string> = {
    organizationId: orgId,
    projectId: env?.projectId ?? 'prj_example',
    environmentId: env?.id ?? 'env_example',
    templateId: env?.templateId ?? 'tpl_example',
    deploymentType: 'deploy',
    deploymentId: 'dep_example',
  }
  const unknown: string[] = []
  const example = template.replace(/\{([^{}]*)\}/gu, (whole, name: string) => {
    if (PLACEHOLDERS.includes(name)) return values[name] ?? whole
    unknown.push(name)
    return whole
  })
  const changed = template !== info.subjectTemplate
  const save = (): void => {
    setConfirm(false)
    void m.run(async () => {
      await organizations.update(orgId, { subjectTemplate: template })
      onSaved()
    })
  }
  return (
    <Section title="Subject template">
      <MutationForm
        mutation={m}
        onSubmit={() => changed && setConfirm(true)}
        fields={['subjectTemplate']}
        submitLabel="Change subject template"
        disabled={!changed}
      >
        <TextField
          label="Subject template"
          name="subjectTemplate"
          required
          spellCheck={false}
          className="mono"
          value={template}
          onChange={(e) => setTemplate(e.target.value)}
          error={m.fieldError('subjectTemplate')}
          warning={
            unknown.length === 0
              ? undefined
              : `Unknown placeholder ${unknown.map((u) => `{${u}}`).join(', ')}.`
          }
          hint={
            <>
              Placeholders: {PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}. IDs never change when
              things are renamed.
            </>
          }
        />
        <div className="live-example" aria-live="polite">
          <span className="muted">
            Example subject{env === undefined ? '' : ` (${env.project.name} / ${env.name})`}:
          </span>{' '}
          <code>{example}</code>
        </div>
        {info.previousSubjectTemplate === null ? null : (
          <div className="banner warning" role="status" data-testid="subject-migration">
            <p>
              <strong>Subject migration.</strong> Tokens now carry the new subject; roles that pin
              the old one stop matching. The setup below accepts both until your roles are updated:
            </p>
            <dl className="facts">
              <dt>Old template</dt>
              <dd>
                <code>{info.previousSubjectTemplate}</code>
              </dd>
              {info.previousExampleSubject === null ? null : (
                <>
                  <dt>Old subject</dt>
                  <dd>
                    <code>{info.previousExampleSubject}</code>
                  </dd>
                </>
              )}
              <dt>New subject</dt>
              <dd>
                <code>{info.exampleSubject}</code>
              </dd>
            </dl>
          </div>
        )}
      </MutationForm>
      <ConfirmDialog
        open={confirm}
        title="Change the subject template?"
        confirmLabel="Change template"
        danger
        onConfirm={save}
        onCancel={() => setConfirm(false)}
      >
        <p>
          Every token gets a new <code>sub</code>. Trust policies that pin the old subject stop
          accepting deployments until they are updated. The generated setup below then accepts both
          subjects for the migration.
        </p>
      </ConfirmDialog>
    </Section>
  )
}
