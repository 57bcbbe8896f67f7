import { useState, type ReactNode } from 'react'
import { enc } from '../api/client'
import { organizations } from '../api/organizations'
import { Link, navigate } from '../router'
import { Empty, ErrorState, Loading } from '../ui/feedback'
import { TextField } from '../ui/fields'
import { MutationForm } from '../ui/form'
import { PageHeader, Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { useMutation } from '../ui/use-mutation'

export function OrganizationsPage(): ReactNode {
  const [state, reload] = useAsync((signal) => organizations.list(signal), [])
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
  const m = useMutation()
  const submit = (): void =>
    void m.run(async () => {
      const org = await organizations.create(name.trim())
      navigate(`/orgs/${enc(org.id)}`)
    })
  return (
    <Section title="Create an organization">
      <MutationForm
        mutation={m}
        onSubmit={submit}
        fields={['name']}
        submitLabel="Create organization"
      >
        <TextField
          label="Name"
          name="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={m.fieldError('name')}
          hint="Only the installation owner key can create organizations."
        />
      </MutationForm>
    </Section>
  )
}
