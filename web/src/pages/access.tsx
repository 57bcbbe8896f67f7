import { useState, type FormEvent, type ReactNode } from 'react'
import { api, enc } from '../api/client'
import { listAll } from '../api/data'
import {
  Badge,
  ConfirmDialog,
  CopyValue,
  Empty,
  ErrorState,
  fieldError,
  FormError,
  formatTime,
  Loading,
  PageHeader,
  Section,
  SelectField,
  TextField,
} from '../ui/components'
import { useAsync } from '../ui/use-async'

interface Credential {
  readonly id: string
  readonly name: string | null
  readonly prefix: string
  readonly role?: string
  readonly email?: string
  readonly createdAt: string
  readonly revokedAt: string | null
  readonly lastUsedAt: string | null
}

type Kind = 'api-keys' | 'agent-tokens'

const WORDS: Record<Kind, { one: string; secret: 'key' | 'token' }> = {
  'api-keys': { one: 'API key', secret: 'key' },
  'agent-tokens': { one: 'agent token', secret: 'token' },
}

/** API keys (people and automation) and agent tokens (self-hosted agents) of the organization. */
export function AccessPage({ orgId }: { orgId: string }): ReactNode {
  return (
    <div className="page">
      <PageHeader
        title="Agents & API keys"
        description="Agents run deployments with an agent token; people and scripts call the API with an API key. Both are shown once, stored hashed, and can be revoked."
      />
      <AccessList orgId={orgId} kind="agent-tokens" />
      <AccessList orgId={orgId} kind="api-keys" />
    </div>
  )
}

function AccessList({ orgId, kind }: { orgId: string; kind: Kind }): ReactNode {
  const base = `/organizations/${enc(orgId)}/${kind}`
  const words = WORDS[kind]
  const [state, reload] = useAsync((signal) => listAll<Credential>(base, signal), [base])
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [role, setRole] = useState('deployer')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [created, setCreated] = useState<string | null>(null)
  const [revoking, setRevoking] = useState<Credential | null>(null)
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setCreated(null)
    const body: Record<string, unknown> =
      kind === 'agent-tokens'
        ? { name: name.trim() }
        : { role, email: email.trim(), ...(name.trim() === '' ? {} : { name: name.trim() }) }
    try {
      const answer = await api.post<Record<string, unknown>>(base, body)
      const secret = answer[words.secret]
      setCreated(typeof secret === 'string' ? secret : null)
      setName('')
      setEmail('')
      reload()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  const revoke = async (item: Credential): Promise<void> => {
    setRevoking(null)
    setError(null)
    try {
      await api.del(`${base}/${enc(item.id)}`)
      reload()
    } catch (err) {
      setError(err)
    }
  }
  const title = kind === 'agent-tokens' ? 'Agent tokens' : 'API keys'
  return (
    <Section title={title}>
      {state.status === 'error' ? (
        <ErrorState error={state.error} onRetry={reload} />
      ) : state.data === undefined ? (
        <Loading />
      ) : state.data.length === 0 ? (
        <Empty title={`No ${words.one}s yet`}>
          {kind === 'agent-tokens'
            ? 'Create one below, then start an agent with it: keyless agent --server URL --token TOKEN.'
            : 'Create one below for a teammate or a script.'}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="table stack">
            <thead>
              <tr>
                <th scope="col">Name</th>
                {kind === 'api-keys' ? <th scope="col">Role</th> : null}
                <th scope="col">Prefix</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.data.map((item) => (
                <tr key={item.id}>
                  <td data-label="Name">{item.name ?? item.email ?? '—'}</td>
                  {kind === 'api-keys' ? (
                    <td data-label="Role">
                      {item.role} <span className="muted">{item.email}</span>
                    </td>
                  ) : null}
                  <td data-label="Prefix">
                    <code>{item.prefix}…</code>
                  </td>
                  <td data-label="Last used">{formatTime(item.lastUsedAt)}</td>
                  <td data-label="State">
                    {item.revokedAt === null ? (
                      <Badge value="succeeded" label="active" />
                    ) : (
                      <Badge value="cancelled" label="revoked" />
                    )}
                  </td>
                  <td className="actions-cell" data-label="">
                    {item.revokedAt !== null || item.role === 'owner' ? null : (
                      <button
                        type="button"
                        className="button secondary small"
                        aria-label={`Revoke ${item.name ?? item.email ?? item.prefix}`}
                        onClick={() => setRevoking(item)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {created === null ? null : (
        <div className="banner success" role="status">
          <p>
            <strong>Copy the new {words.one} now:</strong> it is shown only once.
          </p>
          <CopyValue value={created} label={words.one} />
        </div>
      )}
      <form className="form access-form" onSubmit={(e) => void submit(e)} noValidate>
        <FormError error={error} fields={['name', 'email', 'role']} />
        <div className="grid-3">
          {kind === 'api-keys' ? (
            <>
              <TextField
                label="Email of the person"
                name="email"
                type="email"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                error={fieldError(error, 'email')}
                hint="Recorded as deployerEmail of the deployments this key starts."
              />
              <SelectField
                label="Role"
                value={role}
                onChange={(e) => setRole(e.target.value)}
                error={fieldError(error, 'role')}
              >
                <option value="admin">admin</option>
                <option value="deployer">deployer</option>
                <option value="viewer">viewer</option>
              </SelectField>
            </>
          ) : null}
          <TextField
            label={kind === 'agent-tokens' ? 'Agent name' : 'Key name'}
            name="name"
            required={kind === 'agent-tokens'}
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldError(error, 'name')}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            Create {words.one}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke this ${words.one}?`}
        confirmLabel="Revoke"
        danger
        onConfirm={() => revoking !== null && void revoke(revoking)}
        onCancel={() => setRevoking(null)}
      >
        <p>
          {kind === 'agent-tokens'
            ? 'The agent using it stops receiving deployments at once.'
            : 'Requests with this key are refused at once.'}
        </p>
      </ConfirmDialog>
    </Section>
  )
}
