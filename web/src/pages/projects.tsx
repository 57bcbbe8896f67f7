import { useState, type FormEvent, type ReactNode } from 'react'
import { api, enc } from '../api/client'
import { listAll } from '../api/data'
import type { Organization, Project } from '../api/types'
import { Link, navigate } from '../router'
import {
  Empty,
  ErrorState,
  fieldError,
  FormError,
  Loading,
  PageHeader,
  Section,
  TextArea,
  TextField,
} from '../ui/components'
import { useAsync } from '../ui/use-async'
import { VariablesSection } from './variables'

export function ProjectsPage({ orgId }: { orgId: string }): ReactNode {
  const [org, reloadOrg] = useAsync(
    (signal) => api.get<Organization>(`/organizations/${enc(orgId)}`, signal),
    [orgId],
  )
  const [state, reload] = useAsync(
    (signal) => listAll<Project>(`/organizations/${enc(orgId)}/projects`, signal),
    [orgId],
  )
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
                {p.description === undefined ||
                p.description === null ||
                p.description === '' ? null : (
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
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState(false)
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setSaved(false)
    const body: Record<string, unknown> = { name: name.trim() }
    if (description.trim() !== '' || project !== undefined) body['description'] = description.trim()
    try {
      if (project === undefined) {
        const created = await api.post<Project>(`/organizations/${enc(orgId)}/projects`, body)
        navigate(`/orgs/${enc(orgId)}/projects/${enc(created.id)}`)
      } else {
        const updated = await api.patch<Project>(`/projects/${enc(project.id)}`, body)
        setSaved(true)
        onSaved?.(updated)
      }
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Section title={project === undefined ? 'Create a project' : 'Edit project'}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <FormError error={error} fields={['name', 'description']} />
        <TextField
          label="Name"
          name="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(error, 'name')}
        />
        <TextArea
          label="Description"
          name="description"
          rows={2}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={fieldError(error, 'description')}
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {project === undefined ? 'Create project' : 'Save changes'}
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

function OrganizationForm({
  organization,
  onSaved,
}: {
  organization: Organization
  onSaved: () => void
}): ReactNode {
  const [name, setName] = useState(organization.name)
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setSaved(false)
    try {
      await api.patch<Organization>(`/organizations/${enc(organization.id)}`, { name: name.trim() })
      setSaved(true)
      onSaved()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Section title="Organization">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <FormError error={error} fields={['name']} />
        <TextField
          label="Organization name"
          name="organizationName"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(error, 'name')}
          hint="The name appears in tokens (organizationName); trust policies should pin ids, which never change."
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            Rename organization
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
