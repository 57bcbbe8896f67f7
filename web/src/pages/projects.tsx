import { useState, type ReactNode } from 'react'
import { enc } from '../api/client'
import { organizations } from '../api/organizations'
import { projects } from '../api/projects'
import type { Organization, Project } from '../api/types'
import { Link, navigate } from '../router'
import { Empty, ErrorState, Loading } from '../ui/feedback'
import { TextArea, TextField } from '../ui/fields'
import { MutationForm } from '../ui/form'
import { PageHeader, Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { useMutation } from '../ui/use-mutation'
import { VariablesSection } from './variables'

export function ProjectsPage({ orgId }: { orgId: string }): ReactNode {
  const [org, reloadOrg] = useAsync((signal) => organizations.get(orgId, signal), [orgId])
  const [state, reload] = useAsync((signal) => projects.list(orgId, signal), [orgId])
  return (
    <div className="page">
      <PageHeader
        title={org.status === 'ready' ? org.data.name : 'Projects'}
        description={
          <>
            Projects group environments; an environment is a template deployed in a project.
            Organization id <code>{orgId}</code>
          </>
        }
      />
      {org.status === 'error' ? <ErrorState error={org.error} /> : null}
      <Section title="Projects">
        {state.status === 'loading' && state.data === undefined ? (
          <Loading label="Loading projects…" />
        ) : state.status === 'error' ? (
          <ErrorState error={state.error} onRetry={reload} />
        ) : state.data === undefined || state.data.length === 0 ? (
          <Empty title="No projects yet">
            Create a project below, then add a template and an environment to deploy.
          </Empty>
        ) : (
          <ul className="link-list">
            {state.data.map((p) => (
              <li key={p.id}>
                <Link to={`/orgs/${enc(orgId)}/projects/${enc(p.id)}`}>{p.name}</Link>
                {p.description === null || p.description === '' ? null : (
                  <span className="muted">{p.description}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <ProjectForm orgId={orgId} />
      <VariablesSection scope="organizations" id={orgId} />
      {org.status === 'ready' ? (
        <OrganizationForm key={org.data.id} organization={org.data} onSaved={reloadOrg} />
      ) : null}
    </div>
  )
}

/** Create (no `project`) or edit a project. */
export function ProjectForm({
  orgId,
  project,
  onSaved,
}: {
  orgId: string
  project?: Project
  onSaved?: (p: Project) => void
}): ReactNode {
  const [name, setName] = useState(project?.name ?? '')
  const [description, setDescription] = useState(project?.description ?? '')
  const m = useMutation()
  const submit = (): void =>
    void m.run(async () => {
      const body = {
        name: name.trim(),
        ...(description.trim() !== '' || project !== undefined
          ? { description: description.trim() }
          : {}),
      }
      if (project === undefined) {
        const created = await projects.create(orgId, body)
        navigate(`/orgs/${enc(orgId)}/projects/${enc(created.id)}`)
        return
      }
      onSaved?.(await projects.update(project.id, body))
      return 'Saved'
    })
  return (
    <Section title={project === undefined ? 'Create a project' : 'Edit project'}>
      <MutationForm
        mutation={m}
        onSubmit={submit}
        fields={['name', 'description']}
        submitLabel={project === undefined ? 'Create project' : 'Save changes'}
      >
        <TextField
          label="Name"
          name="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={m.fieldError('name')}
        />
        <TextArea
          label="Description"
          name="description"
          rows={2}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={m.fieldError('description')}
        />
      </MutationForm>
    </Section>
  )
}

function OrganizationForm({
  organization,
  onSaved,
}: {
  organization: Organization
  onSaved: () => void
}): ReactNode {
  const [name, setName] = useState(organization.name)
  const m = useMutation()
  const submit = (): void =>
    void m.run(async () => {
      await organizations.update(organization.id, { name: name.trim() })
      onSaved()
      return 'Saved'
    })
  return (
    <Section title="Organization">
      <MutationForm
        mutation={m}
        onSubmit={submit}
        fields={['name']}
        submitLabel="Rename organization"
      >
        <TextField
          label="Organization name"
          name="organizationName"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={m.fieldError('name')}
          hint="The name appears in tokens (organizationName); trust policies should pin ids, which never change."
        />
      </MutationForm>
    </Section>
  )
}
