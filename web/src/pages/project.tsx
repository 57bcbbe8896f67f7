import { useState, type ReactNode } from 'react'
import { enc } from '../api/client'
import { environments } from '../api/environments'
import { projects } from '../api/projects'
import { templates as templatesApi } from '../api/templates'
import type { Template } from '../api/types'
import { Link, navigate } from '../router'
import { Empty, ErrorState, Loading } from '../ui/feedback'
import { SelectField, TextField } from '../ui/fields'
import { MutationForm } from '../ui/form'
import { PageHeader, Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { useMutation } from '../ui/use-mutation'
import { ProjectForm } from './projects'
import { VariablesSection } from './variables'

export function ProjectPage({ orgId, projectId }: { orgId: string; projectId: string }): ReactNode {
  const [project, reloadProject] = useAsync(
    (signal) => projects.get(projectId, signal),
    [projectId],
  )
  const [envs, reloadEnvs] = useAsync((signal) => environments.list(projectId, signal), [projectId])
  const [templates] = useAsync((signal) => templatesApi.list(orgId, signal), [orgId])
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
                    {env.roleArnOverride === null ? (
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
  const m = useMutation()
  const chosen = templateId === '' ? (templates?.[0]?.id ?? '') : templateId
  const submit = (): void =>
    void m.run(async () => {
      const env = await environments.create(projectId, { name: name.trim(), templateId: chosen })
      navigate(`/orgs/${enc(orgId)}/environments/${enc(env.id)}`)
    })
  return (
    <Section title="Create an environment">
      {templates !== undefined && templates.length === 0 ? (
        <Empty title="No template to deploy yet">
          An environment needs a template.{' '}
          <Link to={`/orgs/${enc(orgId)}/templates`}>Create a template</Link> first.
        </Empty>
      ) : (
        <MutationForm
          mutation={m}
          onSubmit={submit}
          fields={['name', 'templateId']}
          submitLabel="Create environment"
          disabled={templates === undefined}
        >
          <TextField
            label="Name"
            name="name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={m.fieldError('name')}
            hint="For example production, staging or dev."
          />
          <SelectField
            label="Template"
            name="templateId"
            value={chosen}
            onChange={(e) => setTemplateId(e.target.value)}
            error={m.fieldError('templateId')}
          >
            {(templates ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.type})
              </option>
            ))}
          </SelectField>
        </MutationForm>
      )}
    </Section>
  )
}
