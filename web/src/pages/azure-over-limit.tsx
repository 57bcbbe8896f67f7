import { useState, type ReactNode } from 'react'
import { credentials } from '../api/credentials'
import type { AzureSetupResponse } from '../api/types'
import { ConfirmDialog } from '../ui/dialog'
import { MutationStatus } from '../ui/form'
import { useMutation } from '../ui/use-mutation'

type OverLimit = AzureSetupResponse['overLimit'][number]

/**
 * Why an application needs more than Entra's 20 federated credentials, and the fix in one
 * (confirmed) click: the subject template that fits, set on the credentials of that application.
 */
export function OverLimitFix({
  over,
  setup,
  onFixed,
}: {
  over: OverLimit
  setup: AzureSetupResponse
  onFixed: () => void
}): ReactNode {
  const m = useMutation()
  const [confirm, setConfirm] = useState(false)
  const lower = over.clientId.toLowerCase()
  const owners = setup.credentials.filter(
    (c) => c.clientId.toLowerCase() === lower || c.planClientId?.toLowerCase() === lower,
  )
  const template = over.suggestedTemplate
  const names = owners.map((c) => c.name).join(', ')
  const apply = (): void => {
    setConfirm(false)
    if (template === null) return
    void m.run(async () => {
      for (const c of owners) await credentials.update(c.id, { subjectTemplate: template })
      onFixed()
      return `Subject template set on ${names}.`
    })
  }
  return (
    <div className="over-limit-item">
      <p>{over.message}</p>
      {template === null || owners.length === 0 ? null : (
        <button
          type="button"
          className="button secondary"
          disabled={m.busy}
          onClick={() => setConfirm(true)}
        >
          Set the template that fits on {names}
        </button>
      )}
      <MutationStatus mutation={m} />
      <ConfirmDialog
        open={confirm}
        title="Change the subject template?"
        confirmLabel="Change template"
        onConfirm={apply}
        onCancel={() => setConfirm(false)}
      >
        <p>
          From the next deployment on, the Azure tokens of {names} carry subjects of the form{' '}
          <code className="wrap">{template}</code>: create their federated credentials (this page
          lists them) before deploying.
        </p>
      </ConfirmDialog>
    </div>
  )
}
