import { useState, type ReactNode } from 'react'
import { oidc, type SetupFormat } from '../api/oidc'
import { organizations } from '../api/organizations'
import { CodeBlock } from '../ui/copy'
import { ConfirmDialog } from '../ui/dialog'
import { ErrorState, FormError, Loading } from '../ui/feedback'
import { TextField } from '../ui/fields'
import { Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { useMutation } from '../ui/use-mutation'

type Format = SetupFormat
const FORMATS: Array<[Format, string]> = [
  ['json', 'Trust policy (JSON)'],
  ['terraform', 'Terraform'],
  ['cloudformation', 'CloudFormation'],
]

/** `version` changes when the organization's settings that shape the setup change. */
export function SetupSnippets({ orgId, version }: { orgId: string; version: string }): ReactNode {
  const [format, setFormat] = useState<Format>('json')
  const [roleName, setRoleName] = useState('keyless-deployer')
  const [appliedRoleName, setAppliedRoleName] = useState('keyless-deployer')
  const [state, reload] = useAsync(
    (signal) => oidc.setup(orgId, { format, roleName: appliedRoleName }, signal),
    [orgId, format, appliedRoleName, version],
  )
  const label = FORMATS.find(([f]) => f === format)?.[1] ?? format
  return (
    <Section title="Ready-to-copy AWS setup">
      <p className="muted">
        The IAM OIDC provider and a role whose trust policy pins this organization’s audience and
        subject. Same output as <code>keyless setup aws</code>.
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          setAppliedRoleName(roleName.trim() === '' ? 'keyless-deployer' : roleName.trim())
        }}
      >
        <TextField
          label="Role name"
          name="roleName"
          required
          value={roleName}
          onChange={(e) => setRoleName(e.target.value)}
        />
        <button type="submit" className="button secondary">
          Update
        </button>
      </form>
      <div className="tabs" role="tablist" aria-label="Setup format">
        {FORMATS.map(([f, l]) => (
          <button
            key={f}
            type="button"
            role="tab"
            id={`tab-${f}`}
            aria-selected={format === f}
            aria-controls="setup-panel"
            tabIndex={format === f ? 0 : -1}
            className={format === f ? 'tab active' : 'tab'}
            onClick={() => setFormat(f)}
            onKeyDown={(e) => {
              const i = FORMATS.findIndex(([x]) => x === format)
              const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
              if (delta === 0) return
              e.preventDefault()
              const next = FORMATS[(i + delta + FORMATS.length) % FORMATS.length]
              if (next !== undefined) {
                setFormat(next[0])
                document.getElementById(`tab-${next[0]}`)?.focus()
              }
            }}
          >
            {l}
          </button>
        ))}
      </div>
      <div id="setup-panel" role="tabpanel" aria-labelledby={`tab-${format}`}>
        {state.status === 'error' ? (
          <ErrorState error={state.error} onRetry={reload} />
        ) : state.data === undefined ? (
          <Loading label="Generating…" />
        ) : (
          <CodeBlock code={state.data.content} label={label} />
        )}
      </div>
    </Section>
  )
}

export function StopMinting({
  orgId,
  stopped,
  onChanged,
}: {
  orgId: string
  stopped: boolean
  onChanged: () => void
}): ReactNode {
  const [confirm, setConfirm] = useState(false)
  const m = useMutation()
  const apply = (): void => {
    setConfirm(false)
    void m.run(async () => {
      await organizations.update(orgId, { mintingStopped: !stopped })
      onChanged()
    })
  }
  return (
    <Section title="Incident switch">
      <div className="switch-row">
        <div>
          <p>
            Token minting is <strong>{stopped ? 'stopped' : 'on'}</strong>.
          </p>
          <p className="muted">
            Stopping minting makes every token request of this organization fail at once — for
            example when a trust policy or an agent is suspected to be compromised. Sessions already
            issued stay valid until they expire.
          </p>
        </div>
        <button
          type="button"
          role="switch"
          aria-checked={!stopped}
          aria-label="Token minting"
          className={stopped ? 'button primary' : 'button danger'}
          disabled={m.busy}
          onClick={() => setConfirm(true)}
        >
          {stopped ? 'Resume minting' : 'Stop minting'}
        </button>
      </div>
      <FormError error={m.error} />
      <ConfirmDialog
        open={confirm}
        title={stopped ? 'Resume token minting?' : 'Stop all token minting?'}
        confirmLabel={stopped ? 'Resume minting' : 'Stop minting'}
        danger={!stopped}
        onConfirm={apply}
        onCancel={() => setConfirm(false)}
      >
        {stopped ? (
          <p>Deployments of this organization can get tokens again.</p>
        ) : (
          <p>
            Every deployment of this organization that asks for a token from now on fails with
            “minting stopped”, until you resume.
          </p>
        )}
      </ConfirmDialog>
    </Section>
  )
}
