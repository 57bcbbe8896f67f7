import { useState, type FormEvent, type ReactNode } from 'react'
import { api, enc } from '../api/client'
import { listAll } from '../api/data'
import type { Environment, Project, Template } from '../api/types'
import { Link, navigate } from '../router'
import {
  Empty,
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
import { ProjectForm } from './projects'
import { VariablesSection } from './variables'

export function ProjectPage({ orgId, projectId }: { orgId: string; projectId: string }): ReactNode {
  const [project, reloadProject] = useAsync(
    (signal) => api.get<Project>(`/projects/${enc(projectId)}`, signal),
    [projectId],
  )
  const [envs, reloadEnvs] = useAsync(
    (signal) => listAll<Environment>(`/projects/${enc(projectId)}/environments`, signal),
    [projectId],
  )
  const [templates] = useAsync(
    (signal) => listAll<Template>(`/organizations/${enc(orgId)}/templates`, signal),
    [orgId],
  )
  const templateName = (id: string): string =>
    templates.status === 'ready' ? (templates.data.find((t) => t.id === id)?.name ?? id) : id
  if (project.status === 'error') {
    return (
      <div className="page">
        <PageHeader title="Project" />
        <ErrorState error={project.error} onRetry={reloadProject} />
      </div>
    )
  }
  if (project.data === undefined) return <Loading label="Loading project…" />
  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/orgs/${enc(orgId)}`}>Projects</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">{project.data.name}</span>
      </nav>
      <PageHeader title={project.data.name} description={project.data.description ?? undefined} />
      <Section title="Environments">
        {envs.status === 'loading' && envs.data === undefined ? (
          <Loading label="Loading environments…" />
        ) : envs.status === 'error' ? (
          <ErrorState error={envs.error} onRetry={reloadEnvs} />
        ) : envs.data === undefined || envs.data.length === 0 ? (
          <Empty title="No environments yet">
            An environment deploys one template in this project. Create one below.
          </Empty>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Environment</th>
                <th scope="col">Template</th>
                <th scope="col">Role override</th>
              </tr>
            </thead>
            <tbody>
              {envs.data.map((env) => (
                <tr key={env.id}>
                  <td>
                    <Link to={`/orgs/${enc(orgId)}/environments/${enc(env.id)}`}>{env.name}</Link>
                  </td>
                  <td>{templateName(env.templateId)}</td>
                  <td>
                    {env.roleArnOverride === undefined || env.roleArnOverride === null ? (
                      <span className="muted">none</span>
                    ) : (
                      <code>{env.roleArnOverride}</code>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <CreateEnvironment
        orgId={orgId}
        projectId={projectId}
        templates={templates.status === 'ready' ? templates.data : undefined}
      />
      <VariablesSection scope="projects" id={project.data.id} />
      <ProjectForm
        key={project.data.id}
        orgId={orgId}
        project={project.data}
        onSaved={reloadProject}
      />
    </div>
  )
}

function CreateEnvironment({
  orgId,
  projectId,
  templates,
}: {
  orgId: string
  projectId: string
  templates: Template[] | undefined
}): ReactNode {
  const [name, setName] = useState('')
  const [templateId, setTemplateId] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const env = await api.post<Environment>(`/projects/${enc(projectId)}/environments`, {
        name: name.trim(),
        templateId: templateId === '' ? (templates?.[0]?.id ?? '') : templateId,
      })
      navigate(`/orgs/${enc(orgId)}/environments/${enc(env.id)}`)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Section title="Create an environment">
      {templates !== undefined && templates.length === 0 ? (
        <Empty title="No template to deploy yet">
          An environment needs a template.{' '}
          <Link to={`/orgs/${enc(orgId)}/templates`}>Create a template</Link> first.
        </Empty>
      ) : (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <FormError error={error} fields={['name', 'templateId']} />
          <TextField
            label="Name"
            name="name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldError(error, 'name')}
            hint="For example production, staging or dev."
          />
          <SelectField
            label="Template"
            name="templateId"
            value={templateId === '' ? (templates?.[0]?.id ?? '') : templateId}
            onChange={(e) => setTemplateId(e.target.value)}
            error={fieldError(error, 'templateId')}
          >
            {(templates ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.type})
              </option>
            ))}
          </SelectField>
          <div className="form-actions">
            <button
              type="submit"
              className="button primary"
              disabled={busy || templates === undefined}
            >
              Create environment
            </button>
          </div>
        </form>
      )}
    </Section>
  )
}
