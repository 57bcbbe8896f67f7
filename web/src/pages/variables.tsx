import { useState, type FormEvent, type ReactNode } from 'react'
import { api, enc } from '../api/client'
import { listAll } from '../api/data'
import {
  Empty,
  ErrorState,
  fieldError,
  FormError,
  Loading,
  Section,
  TextField,
  Toggle,
} from '../ui/components'
import { useAsync } from '../ui/use-async'

export type VariableScope = 'organizations' | 'projects' | 'templates' | 'environments'

interface Variable {
  readonly id: string
  readonly name: string
  readonly value: string | null
  readonly sensitive: boolean
}

const SCOPE_WORDS: Record<VariableScope, string> = {
  organizations: 'every deployment of the organization',
  projects: 'every environment of this project',
  templates: 'every environment using this template',
  environments: 'this environment',
}

/** Variables of one scope (nearest scope wins): list, set (sensitive values are write-only), delete. */
export function VariablesSection({ scope, id }: { scope: VariableScope; id: string }): ReactNode {
  const base = `/${scope}/${enc(id)}/variables`
  const [state, reload] = useAsync((signal) => listAll<Variable>(base, signal), [base])
  const [name, setName] = useState('')
  const [value, setValue] = useState('')
  const [sensitive, setSensitive] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setMessage(null)
    try {
      await api.put(`${base}/${enc(name.trim())}`, { value, sensitive })
      setMessage(`${name.trim()} saved.`)
      setName('')
      setValue('')
      setSensitive(false)
      reload()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  const remove = async (variable: Variable): Promise<void> => {
    setError(null)
    setMessage(null)
    try {
      await api.del(`${base}/${enc(variable.name)}`)
      setMessage(`${variable.name} deleted.`)
      reload()
    } catch (err) {
      setError(err)
    }
  }
  return (
    <Section title="Variables">
      <p className="muted">
        Environment variables for {SCOPE_WORDS[scope]}; the nearest scope wins.{' '}
        <code>KEYLESS_AWS_ROLE_ARN</code> overrides the role (audited),{' '}
        <code>KEYLESS_OIDC_TAG</code> sets the free-form <code>userTag</code> claim — never a trust
        anchor.
      </p>
      {state.status === 'error' ? (
        <ErrorState error={state.error} onRetry={reload} />
      ) : state.data === undefined ? (
        <Loading label="Loading variables…" />
      ) : state.data.length === 0 ? (
        <Empty title="No variables here">Add one below.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Value</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.data.map((v) => (
                <tr key={v.id}>
                  <td>
                    <code>{v.name}</code>
                  </td>
                  <td>
                    {v.sensitive || v.value === null ? (
                      <span className="muted">sensitive (write-only)</span>
                    ) : (
                      <code>{v.value}</code>
                    )}
                  </td>
                  <td className="actions-cell">
                    <button
                      type="button"
                      className="button secondary small"
                      aria-label={`Delete ${v.name}`}
                      onClick={() => void remove(v)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="form variables-form" onSubmit={(e) => void submit(e)} noValidate>
        <FormError error={error} fields={['name', 'value', 'sensitive']} />
        <div className="grid-2">
          <TextField
            label="Variable name"
            required
            spellCheck={false}
            className="mono"
            value={name}
            placeholder="KEYLESS_AWS_ROLE_ARN"
            onChange={(e) => setName(e.target.value)}
            error={fieldError(error, 'name')}
          />
          <TextField
            label="Value"
            required
            spellCheck={false}
            type={sensitive ? 'password' : 'text'}
            autoComplete="off"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            error={fieldError(error, 'value')}
          />
        </div>
        <Toggle
          label="Sensitive"
          checked={sensitive}
          onChange={setSensitive}
          hint="Write-only: never shown again, and masked in deployment logs."
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy || name.trim() === ''}>
            Set variable
          </button>
          {message === null ? null : (
            <span role="status" className="saved">
              {message}
            </span>
          )}
        </div>
      </form>
    </Section>
  )
}
