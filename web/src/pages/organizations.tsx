import { useState, type FormEvent, type ReactNode } from 'react'
import { api, enc } from '../api/client'
import type { Organization, Page } from '../api/types'
import { Link, navigate } from '../router'
import {
  Empty,
  ErrorState,
  fieldError,
  FormError,
  Loading,
  PageHeader,
  Section,
  TextField,
} from '../ui/components'
import { useAsync } from '../ui/use-async'

export function OrganizationsPage(): ReactNode {
  const [state, reload] = useAsync(
    (signal) => api.get<Page<Organization>>('/organizations', signal),
    [],
  )
  return (
    <div className="page">
      <PageHeader
        title="Organizations"
        description="Each organization has its own audience, subject template and credentials."
      />
      <Section title="Your organizations">
        {state.status === 'loading' && state.data === undefined ? (
          <Loading />
        ) : state.status === 'error' ? (
          <ErrorState error={state.error} onRetry={reload} />
        ) : state.data === undefined || state.data.items.length === 0 ? (
          <Empty title="No organization yet">Create one below to start adding projects.</Empty>
        ) : (
          <ul className="link-list">
            {state.data.items.map((o) => (
              <li key={o.id}>
                <Link to={`/orgs/${enc(o.id)}`}>{o.name}</Link>
                <code className="muted">{o.id}</code>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <CreateOrganization />
    </div>
  )
}

function CreateOrganization(): ReactNode {
  const [name, setName] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const org = await api.post<Organization>('/organizations', { name: name.trim() })
      navigate(`/orgs/${enc(org.id)}`)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Section title="Create an organization">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <FormError error={error} fields={['name']} />
        <TextField
          label="Name"
          name="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(error, 'name')}
          hint="Only the installation owner key can create organizations."
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            Create organization
          </button>
        </div>
      </form>
    </Section>
  )
}
