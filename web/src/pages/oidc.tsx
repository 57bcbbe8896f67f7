import { useState, type FormEvent, type ReactNode } from 'react'
import { api, enc, query } from '../api/client'
import { loadOrgTree } from '../api/data'
import type { OidcInfo, Organization } from '../api/types'
import {
  CodeBlock,
  ConfirmDialog,
  CopyValue,
  ErrorState,
  fieldError,
  FormError,
  Loading,
  PageHeader,
  Section,
  TextField,
} from '../ui/components'
import { useAsync } from '../ui/use-async'

const PLACEHOLDERS = [
  'organizationId',
  'projectId',
  'environmentId',
  'templateId',
  'deploymentType',
  'deploymentId',
]

export function OidcPage({ orgId }: { orgId: string }): ReactNode {
  const [state, reload] = useAsync(
    (signal) => api.get<OidcInfo>(`/organizations/${enc(orgId)}/oidc`, signal),
    [orgId],
  )
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
            <Thumbprint orgId={orgId} issuer={info.issuer} fromInfo={info.thumbprint} />
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

interface ThumbprintAnswer {
  readonly thumbprint: string | null
  readonly message?: string
}

function Thumbprint({
  orgId,
  issuer,
  fromInfo,
}: {
  orgId: string
  issuer: string
  fromInfo: string | null | undefined
}): ReactNode {
  const [state] = useAsync<ThumbprintAnswer>(
    (signal) =>
      typeof fromInfo === 'string'
        ? Promise.resolve({ thumbprint: fromInfo })
        : api.get<ThumbprintAnswer>(`/organizations/${enc(orgId)}/thumbprint`, signal),
    [orgId, fromInfo],
  )
  if (state.status === 'loading') return <span className="muted">Computing…</span>
  if (state.status === 'error')
    return (
      <span className="muted">
        Not available here. Run <code>keyless thumbprint {issuer}</code>.
      </span>
    )
  if (state.data.thumbprint === null)
    return <span className="muted">{state.data.message ?? 'Not needed for this issuer.'}</span>
  return <CopyValue value={state.data.thumbprint} label="thumbprint" />
}

function SubjectTemplate({
  orgId,
  info,
  onSaved,
}: {
  orgId: string
  info: OidcInfo
  onSaved: () => void
}): ReactNode {
  const [template, setTemplate] = useState(info.subjectTemplate)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
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
  const save = async (): Promise<void> => {
    setConfirm(false)
    setBusy(true)
    setError(null)
    try {
      await api.patch<Organization>(`/organizations/${enc(orgId)}`, { subjectTemplate: template })
      onSaved()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    if (changed) setConfirm(true)
  }
  return (
    <Section title="Subject template">
      <form className="form" onSubmit={submit} noValidate>
        <FormError error={error} fields={['subjectTemplate']} />
        <TextField
          label="Subject template"
          name="subjectTemplate"
          required
          spellCheck={false}
          className="mono"
          value={template}
          onChange={(e) => setTemplate(e.target.value)}
          error={fieldError(error, 'subjectTemplate')}
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
        {info.previousSubjectTemplate === undefined ||
        info.previousSubjectTemplate === null ? null : (
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
              {info.previousExampleSubject === undefined ||
              info.previousExampleSubject === null ? null : (
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
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy || !changed}>
            Change subject template
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirm}
        title="Change the subject template?"
        confirmLabel="Change template"
        danger
        onConfirm={() => void save()}
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

type Format = 'json' | 'terraform' | 'cloudformation'
const FORMATS: Array<[Format, string]> = [
  ['json', 'Trust policy (JSON)'],
  ['terraform', 'Terraform'],
  ['cloudformation', 'CloudFormation'],
]

/** `version` changes when the organization's settings that shape the setup change. */
function SetupSnippets({ orgId, version }: { orgId: string; version: string }): ReactNode {
  const [format, setFormat] = useState<Format>('json')
  const [roleName, setRoleName] = useState('keyless-deployer')
  const [appliedRoleName, setAppliedRoleName] = useState('keyless-deployer')
  const [state, reload] = useAsync(
    (signal) =>
      api.get<{ content: string; format: string }>(
        `/organizations/${enc(orgId)}/setup${query({ format, roleName: appliedRoleName })}`,
        signal,
      ),
    [orgId, format, appliedRoleName, version],
  )
  const label = FORMATS.find(([f]) => f === format)?.[1] ?? format
  return (
    <Section title="Ready-to-copy AWS setup">
      <p className="muted">
        The IAM OIDC provider and a role whose trust policy pins this organization’s audience and
        subject. Same output as <code>keyless setup aws</code>.
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          setAppliedRoleName(roleName.trim() === '' ? 'keyless-deployer' : roleName.trim())
        }}
      >
        <TextField
          label="Role name"
          name="roleName"
          required
          value={roleName}
          onChange={(e) => setRoleName(e.target.value)}
        />
        <button type="submit" className="button secondary">
          Update
        </button>
      </form>
      <div className="tabs" role="tablist" aria-label="Setup format">
        {FORMATS.map(([f, l]) => (
          <button
            key={f}
            type="button"
            role="tab"
            id={`tab-${f}`}
            aria-selected={format === f}
            aria-controls="setup-panel"
            tabIndex={format === f ? 0 : -1}
            className={format === f ? 'tab active' : 'tab'}
            onClick={() => setFormat(f)}
            onKeyDown={(e) => {
              const i = FORMATS.findIndex(([x]) => x === format)
              const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
              if (delta === 0) return
              e.preventDefault()
              const next = FORMATS[(i + delta + FORMATS.length) % FORMATS.length]
              if (next !== undefined) {
                setFormat(next[0])
                document.getElementById(`tab-${next[0]}`)?.focus()
              }
            }}
          >
            {l}
          </button>
        ))}
      </div>
      <div id="setup-panel" role="tabpanel" aria-labelledby={`tab-${format}`}>
        {state.status === 'error' ? (
          <ErrorState error={state.error} onRetry={reload} />
        ) : state.data === undefined ? (
          <Loading label="Generating…" />
        ) : (
          <CodeBlock code={state.data.content} label={label} />
        )}
      </div>
    </Section>
  )
}

function StopMinting({
  orgId,
  stopped,
  onChanged,
}: {
  orgId: string
  stopped: boolean
  onChanged: () => void
}): ReactNode {
  const [confirm, setConfirm] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const apply = async (): Promise<void> => {
    setConfirm(false)
    setBusy(true)
    setError(null)
    try {
      await api.patch<Organization>(`/organizations/${enc(orgId)}`, { mintingStopped: !stopped })
      onChanged()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Section title="Incident switch">
      <div className="switch-row">
        <div>
          <p>
            Token minting is <strong>{stopped ? 'stopped' : 'on'}</strong>.
          </p>
          <p className="muted">
            Stopping minting makes every token request of this organization fail at once — for
            example when a trust policy or an agent is suspected to be compromised. Sessions already
            issued stay valid until they expire.
          </p>
        </div>
        <button
          type="button"
          role="switch"
          aria-checked={!stopped}
          aria-label="Token minting"
          className={stopped ? 'button primary' : 'button danger'}
          disabled={busy}
          onClick={() => setConfirm(true)}
        >
          {stopped ? 'Resume minting' : 'Stop minting'}
        </button>
      </div>
      <FormError error={error} />
      <ConfirmDialog
        open={confirm}
        title={stopped ? 'Resume token minting?' : 'Stop all token minting?'}
        confirmLabel={stopped ? 'Resume minting' : 'Stop minting'}
        danger={!stopped}
        onConfirm={() => void apply()}
        onCancel={() => setConfirm(false)}
      >
        {stopped ? (
          <p>Deployments of this organization can get tokens again.</p>
        ) : (
          <p>
            Every deployment of this organization that asks for a token from now on fails with
            “minting stopped”, until you resume.
          </p>
        )}
      </ConfirmDialog>
    </Section>
  )
}
