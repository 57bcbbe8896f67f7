import { useState, type ReactNode } from 'react'
import type { Variable } from '../api/types'
import { variablesOf, type VariableOwner } from '../api/variables'
import { Empty, ErrorState, Loading } from '../ui/feedback'
import { TextField, Toggle } from '../ui/fields'
import { MutationForm } from '../ui/form'
import { Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { useMutation } from '../ui/use-mutation'

export type VariableScope = VariableOwner

const SCOPE_WORDS: Record<VariableScope, string> = {
  organizations: 'every deployment of the organization',
  projects: 'every environment of this project',
  templates: 'every environment using this template',
  environments: 'this environment',
}

/** Variables of one scope (nearest scope wins): list, set (sensitive values are write-only), delete. */
export function VariablesSection({ scope, id }: { scope: VariableScope; id: string }): ReactNode {
  const vars = variablesOf(scope, id)
  const [state, reload] = useAsync((signal) => vars.list(signal), [vars.key])
  const [name, setName] = useState('')
  const [value, setValue] = useState('')
  const [sensitive, setSensitive] = useState(false)
  const m = useMutation()
  const submit = (): void =>
    void m.run(async () => {
      await vars.put(name.trim(), { value, sensitive })
      const saved = `${name.trim()} saved.`
      setName('')
      setValue('')
      setSensitive(false)
      reload()
      return saved
    })
  const remove = (variable: Variable): void =>
    void m.run(async () => {
      await vars.remove(variable.name)
      reload()
      return `${variable.name} deleted.`
    })
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
                      onClick={() => remove(v)}
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
      <MutationForm
        mutation={m}
        onSubmit={submit}
        className="form variables-form"
        fields={['name', 'value', 'sensitive']}
        submitLabel="Set variable"
        disabled={name.trim() === ''}
      >
        <div className="grid-2">
          <TextField
            label="Variable name"
            required
            spellCheck={false}
            className="mono"
            value={name}
            placeholder="KEYLESS_AWS_ROLE_ARN"
            onChange={(e) => setName(e.target.value)}
            error={m.fieldError('name')}
          />
          <TextField
            label="Value"
            required
            spellCheck={false}
            type={sensitive ? 'password' : 'text'}
            autoComplete="off"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            error={m.fieldError('value')}
          />
        </div>
        <Toggle
          label="Sensitive"
          checked={sensitive}
          onChange={setSensitive}
          hint="Write-only: never shown again, and masked in deployment logs."
        />
      </MutationForm>
    </Section>
  )
}
