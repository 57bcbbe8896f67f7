import { useState, type ReactNode } from 'react'
import { enc } from '../api/client'
import { deployments } from '../api/deployments'
import { environments } from '../api/environments'
import { projects } from '../api/projects'
import { templates as templatesApi } from '../api/templates'
import type { EnvironmentRef } from '../api/org-tree'
import type { DeploymentType, Environment, Project } from '../api/types'
import { Link, navigate, setQuery, useLocation } from '../router'
import { ErrorState, FormError, Loading } from '../ui/feedback'
import { SelectField, TextField } from '../ui/fields'
import { MutationForm } from '../ui/form'
import { PageHeader, Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { useMutation } from '../ui/use-mutation'
import { DeploymentTable } from './deployments'
import { VariablesSection } from './variables'
import { NextToken } from './next-token'
import { StateTab } from './environment-state'

const TYPES: DeploymentType[] = ['deploy', 'plan', 'destroy', 'task']

export function EnvironmentPage({
  orgId,
  environmentId,
}: {
  orgId: string
  environmentId: string
}): ReactNode {
  const tab: Tab = useLocation().search.get('tab') === 'state' ? 'state' : 'overview'
  const [env, reloadEnv] = useAsync(
    (signal) => environments.get(environmentId, signal),
    [environmentId],
  )
  const projectId = env.data?.projectId
  const [project] = useAsync(
    (signal) =>
      projectId === undefined ? Promise.resolve(undefined) : projects.get(projectId, signal),
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
      <EnvironmentTabs tab={tab} />
      {tab === 'state' ? (
        <div id="environment-panel" role="tabpanel" aria-labelledby="tab-state">
          <StateTab orgId={orgId} environmentId={e.id} />
        </div>
      ) : (
        <div id="environment-panel" role="tabpanel" aria-labelledby="tab-overview">
          <Overview orgId={orgId} environment={e} project={project.data} onSaved={reloadEnv} />
        </div>
      )}
    </div>
  )
}

const TABS = [
  ['overview', 'Overview'],
  ['state', 'State'],
] as const
type Tab = (typeof TABS)[number][0]

function EnvironmentTabs({ tab }: { tab: Tab }): ReactNode {
  return (
    <div className="tabs" role="tablist" aria-label="Environment">
      {TABS.map(([t, label]) => (
        <button
          key={t}
          type="button"
          role="tab"
          id={`tab-${t}`}
          aria-selected={tab === t}
          aria-controls="environment-panel"
          className={tab === t ? 'tab active' : 'tab'}
          onClick={() => setQuery(t === 'overview' ? {} : { tab: t })}
        >
          {label}
        </button>
      ))}
    </div>
  )
}

function Overview({
  orgId,
  environment: e,
  project,
  onSaved,
}: {
  orgId: string
  environment: Environment
  project: Project | undefined
  onSaved: () => void
}): ReactNode {
  return (
    <>
      <RecentDeployments
        orgId={orgId}
        environmentId={e.id}
        environments={project === undefined ? undefined : [{ ...e, project }]}
      />
      <RoleOverride key={e.id} environment={e} onSaved={onSaved} />
      <NextToken orgId={orgId} environmentId={e.id} projectId={e.projectId} />
      <VariablesSection scope="environments" id={e.id} />
      <EditEnvironment key={`edit-${e.id}`} orgId={orgId} environment={e} onSaved={onSaved} />
    </>
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
  const m = useMutation()
  const deploy = (): void =>
    void m.run(async () => {
      const d = await deployments.create(environmentId, type)
      navigate(`/orgs/${enc(orgId)}/deployments/${enc(d.id)}`)
    })
  return (
    <form
      className="deploy-form"
      onSubmit={(e) => {
        e.preventDefault()
        deploy()
      }}
    >
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
      <button type="submit" className="button primary" disabled={m.busy}>
        {m.busy ? 'Queuing…' : 'Deploy'}
      </button>
      <FormError error={m.error} />
    </form>
  )
}

function RecentDeployments({
  orgId,
  environmentId,
  environments: refs,
}: {
  orgId: string
  environmentId: string
  /** This environment with its project, to show names instead of ids. */
  environments: readonly EnvironmentRef[] | undefined
}): ReactNode {
  const [state, reload] = useAsync(
    (signal) => deployments.list(orgId, { environmentId, limit: 5 }, signal),
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
          environments={refs}
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
  const m = useMutation()
  const submit = (): void =>
    void m.run(async () => {
      await environments.update(environment.id, {
        roleArnOverride: value.trim() === '' ? null : value.trim(),
      })
      onSaved()
      return 'Saved'
    })
  return (
    <Section title="Role override">
      <MutationForm
        mutation={m}
        onSubmit={submit}
        fields={['roleArnOverride']}
        submitLabel="Save override"
      >
        <TextField
          label="Role ARN for this environment"
          name="roleArnOverride"
          placeholder="arn:aws:iam::123456789012:role/production-deployer"
          spellCheck={false}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={m.fieldError('roleArnOverride')}
          hint="Replaces the credential's role (and plan role) for every deployment of this environment, e.g. to deploy into another account. Leave empty to use the credential's role. Every override is recorded in the audit log."
        />
      </MutationForm>
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
  const m = useMutation()
  const [templates] = useAsync((signal) => templatesApi.list(orgId, signal), [orgId])
  const submit = (): void =>
    void m.run(async () => {
      await environments.update(environment.id, { name: name.trim(), templateId })
      onSaved()
      return 'Saved'
    })
  return (
    <Section title="Edit environment">
      <MutationForm
        mutation={m}
        onSubmit={submit}
        fields={['name', 'templateId']}
        submitLabel="Save environment"
      >
        <div className="grid-2">
          <TextField
            label="Environment name"
            name="name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={m.fieldError('name')}
          />
          <SelectField
            label="Template"
            name="templateId"
            value={templateId}
            onChange={(e) => setTemplateId(e.target.value)}
            error={m.fieldError('templateId')}
          >
            {(templates.data ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.type})
              </option>
            ))}
          </SelectField>
        </div>
      </MutationForm>
    </Section>
  )
}
