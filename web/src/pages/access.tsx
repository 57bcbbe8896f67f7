import { useState, type ReactNode } from 'react'
import { agentTokens, apiKeys } from '../api/access'
import type { AgentToken, ApiKey, KeyRole } from '../api/types'
import { Badge } from '../ui/badge'
import { CopyValue } from '../ui/copy'
import { ConfirmDialog } from '../ui/dialog'
import { Empty, ErrorState, Loading } from '../ui/feedback'
import { SelectField, TextField } from '../ui/fields'
import { MutationForm } from '../ui/form'
import { formatTime } from '../ui/formatting'
import { PageHeader, Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { useMutation } from '../ui/use-mutation'

/** One row of either list: an API key carries a role and an email, an agent token does not. */
type Item = (ApiKey | AgentToken) & { readonly role?: ApiKey['role']; readonly email?: string }

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
  const words = WORDS[kind]
  const [state, reload] = useAsync(
    (signal): Promise<Item[]> =>
      kind === 'agent-tokens' ? agentTokens.list(orgId, signal) : apiKeys.list(orgId, signal),
    [orgId, kind],
  )
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<KeyRole>('deployer')
  const m = useMutation()
  const [created, setCreated] = useState<string | null>(null)
  const [revoking, setRevoking] = useState<Item | null>(null)
  const submit = (): void => {
    setCreated(null)
    void m.run(async () => {
      setCreated(
        kind === 'agent-tokens'
          ? (await agentTokens.create(orgId, { name: name.trim() })).token
          : (
              await apiKeys.create(orgId, {
                role,
                email: email.trim(),
                ...(name.trim() === '' ? {} : { name: name.trim() }),
              })
            ).key,
      )
      setName('')
      setEmail('')
      reload()
    })
  }
  const revoke = (item: Item): void => {
    setRevoking(null)
    void m.run(async () => {
      await (kind === 'agent-tokens' ? agentTokens : apiKeys).revoke(orgId, item.id)
      reload()
    })
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
      <MutationForm
        mutation={m}
        onSubmit={submit}
        className="form access-form"
        fields={['name', 'email', 'role']}
        submitLabel={`Create ${words.one}`}
      >
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
                error={m.fieldError('email')}
                hint="Recorded as deployerEmail of the deployments this key starts."
              />
              <SelectField
                label="Role"
                value={role}
                onChange={(e) => setRole(e.target.value as KeyRole)}
                error={m.fieldError('role')}
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
            error={m.fieldError('name')}
          />
        </div>
      </MutationForm>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke this ${words.one}?`}
        confirmLabel="Revoke"
        danger
        onConfirm={() => revoking !== null && revoke(revoking)}
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
