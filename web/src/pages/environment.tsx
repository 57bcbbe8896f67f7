import { useState, type FormEvent, type ReactNode } from 'react'
import { api, enc, query } from '../api/client'
import { listAll } from '../api/data'
import type { Deployment, DeploymentType, Environment, Page, Project, Template } from '../api/types'
import { Link, navigate } from '../router'
import {
  ErrorState,
  fieldError,
  FormError,
  Loading,
  PageHeader,
  Section,
  SelectField,
  TextField,
} from '../ui/components'
import { useAsync } from '../ui/use-async'
import { ClaimsTable } from './claims'
import { DeploymentTable } from './deployments'
import { VariablesSection } from './variables'

const TYPES: DeploymentType[] = ['deploy', 'plan', 'destroy', 'task']

export function EnvironmentPage({
  orgId,
  environmentId,
}: {
  orgId: string
  environmentId: string
}): ReactNode {
  const [env, reloadEnv] = useAsync(
    (signal) => api.get<Environment>(`/environments/${enc(environmentId)}`, signal),
    [environmentId],
  )
  const projectId = env.data?.projectId
  const [project] = useAsync(
    (signal) =>
      projectId === undefined
        ? Promise.resolve(undefined)
        : api.get<Project>(`/projects/${enc(projectId)}`, signal),
    [projectId],
  )
  if (env.status === 'error') {
    return (
      <div className="page">
        <PageHeader title="Environment" />
        <ErrorState error={env.error} onRetry={reloadEnv} />
      </div>
    )
  }
  if (env.data === undefined) return <Loading label="Loading environment…" />
  const e = env.data
  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/orgs/${enc(orgId)}`}>Projects</Link> <span aria-hidden="true">/</span>{' '}
        <Link to={`/orgs/${enc(orgId)}/projects/${enc(e.projectId)}`}>
          {project.data?.name ?? 'Project'}
        </Link>{' '}
        <span aria-hidden="true">/</span> <span aria-current="page">{e.name}</span>
      </nav>
      <PageHeader
        title={e.name}
        description={
          <>
            Environment <code>{e.id}</code>
          </>
        }
        actions={<DeployButton orgId={orgId} environmentId={e.id} />}
      />
      <RecentDeployments orgId={orgId} environmentId={e.id} />
      <RoleOverride key={e.id} environment={e} onSaved={reloadEnv} />
      <NextToken orgId={orgId} environmentId={e.id} />
      <VariablesSection scope="environments" id={e.id} />
      <EditEnvironment key={`edit-${e.id}`} orgId={orgId} environment={e} onSaved={reloadEnv} />
    </div>
  )
}

function DeployButton({
  orgId,
  environmentId,
}: {
  orgId: string
  environmentId: string
}): ReactNode {
  const [type, setType] = useState<DeploymentType>('deploy')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const deploy = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const d = await api.post<Deployment>(`/environments/${enc(environmentId)}/deployments`, {
        type,
      })
      navigate(`/orgs/${enc(orgId)}/deployments/${enc(d.id)}`)
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }
  return (
    <form className="deploy-form" onSubmit={(e) => void deploy(e)}>
      <label className="visually-hidden" htmlFor="deploy-type">
        Deployment type
      </label>
      <select
        id="deploy-type"
        value={type}
        onChange={(e) => setType(e.target.value as DeploymentType)}
      >
        {TYPES.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Queuing…' : 'Deploy'}
      </button>
      {error === null ? null : <FormError error={error} />}
    </form>
  )
}

function RecentDeployments({
  orgId,
  environmentId,
}: {
  orgId: string
  environmentId: string
}): ReactNode {
  const [state, reload] = useAsync(
    (signal) =>
      api.get<Page<Deployment>>(
        `/organizations/${enc(orgId)}/deployments${query({ environmentId, limit: 5 })}`,
        signal,
      ),
    [orgId, environmentId],
  )
  return (
    <Section
      title="Recent deployments"
      actions={
        <Link
          className="button secondary small"
          to={`/orgs/${enc(orgId)}/deployments?environmentId=${enc(environmentId)}`}
        >
          All deployments
        </Link>
      }
    >
      {state.status === 'error' ? (
        <ErrorState error={state.error} onRetry={reload} />
      ) : state.data === undefined ? (
        <Loading label="Loading deployments…" />
      ) : (
        <DeploymentTable
          orgId={orgId}
          items={state.data.items.slice(0, 5)}
          emptyHint="Nothing deployed yet. Press Deploy to queue the first deployment; an agent picks it up."
        />
      )}
    </Section>
  )
}

function RoleOverride({
  environment,
  onSaved,
}: {
  environment: Environment
  onSaved: () => void
}): ReactNode {
  const [value, setValue] = useState(environment.roleArnOverride ?? '')
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setSaved(false)
    try {
      await api.patch<Environment>(`/environments/${enc(environment.id)}`, {
        roleArnOverride: value.trim() === '' ? null : value.trim(),
      })
      setSaved(true)
      onSaved()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Section title="Role override">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <FormError error={error} fields={['roleArnOverride']} />
        <TextField
          label="Role ARN for this environment"
          name="roleArnOverride"
          placeholder="arn:aws:iam::123456789012:role/production-deployer"
          spellCheck={false}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={fieldError(error, 'roleArnOverride')}
          hint="Replaces the credential's role (and plan role) for every deployment of this environment, e.g. to deploy into another account. Leave empty to use the credential's role. Every override is recorded in the audit log."
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            Save override
          </button>
          {saved ? (
            <span role="status" className="saved">
              Saved
            </span>
          ) : null}
        </div>
      </form>
    </Section>
  )
}

interface Preview {
  readonly claims: Record<string, unknown>
  readonly omittedTags?: Array<{ key: string; reason: string }>
  readonly roleArn?: string | null
  readonly roleSource?: string | null
  readonly durationSeconds?: number | null
}

function NextToken({ orgId, environmentId }: { orgId: string; environmentId: string }): ReactNode {
  const [state, reload] = useAsync(
    (signal) => api.get<Preview>(`/environments/${enc(environmentId)}/oidc-preview`, signal),
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
              {p.roleArn === undefined || p.roleArn === null ? (
                <span className="muted">
                  none: no credential is assigned to this project (
                  <Link to={`/orgs/${enc(orgId)}/credentials`}>assign one</Link>)
                </span>
              ) : (
                <>
                  <code>{p.roleArn}</code>
                  {p.roleSource === undefined || p.roleSource === null ? null : (
                    <span className="muted"> from {p.roleSource}</span>
                  )}
                </>
              )}
            </dd>
            {p.durationSeconds === undefined || p.durationSeconds === null ? null : (
              <>
                <dt>Session duration</dt>
                <dd>{p.durationSeconds} s</dd>
              </>
            )}
          </dl>
          {p.omittedTags === undefined || p.omittedTags.length === 0 ? null : (
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

function EditEnvironment({
  orgId,
  environment,
  onSaved,
}: {
  orgId: string
  environment: Environment
  onSaved: () => void
}): ReactNode {
  const [name, setName] = useState(environment.name)
  const [templateId, setTemplateId] = useState(environment.templateId)
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  const [templates] = useAsync(
    (signal) => listAll<Template>(`/organizations/${enc(orgId)}/templates`, signal),
    [orgId],
  )
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setSaved(false)
    try {
      await api.patch<Environment>(`/environments/${enc(environment.id)}`, {
        name: name.trim(),
        templateId,
      })
      setSaved(true)
      onSaved()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Section title="Edit environment">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <FormError error={error} fields={['name', 'templateId']} />
        <div className="grid-2">
          <TextField
            label="Environment name"
            name="name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldError(error, 'name')}
          />
          <SelectField
            label="Template"
            name="templateId"
            value={templateId}
            onChange={(e) => setTemplateId(e.target.value)}
            error={fieldError(error, 'templateId')}
          >
            {(templates.data ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.type})
              </option>
            ))}
          </SelectField>
        </div>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            Save environment
          </button>
          {saved ? (
            <span role="status" className="saved">
              Saved
            </span>
          ) : null}
        </div>
      </form>
    </Section>
  )
}
