import { useState, type ReactNode } from 'react'
import { trust } from '../api/trust'
import type { LintResponse } from '../api/types'
import { TextArea } from '../ui/fields'
import { MutationForm } from '../ui/form'
import { Section } from '../ui/layout'
import { useMutation } from '../ui/use-mutation'
import { LintPanel } from './trust-results'

/**
 * Lint a provider that already exists (`gcloud iam workload-identity-pools providers describe
 * --format json`) or a service account's IAM policy against this organization's tokens.
 */
export function GcpProviderLint({ orgId }: { orgId: string }): ReactNode {
  const [text, setText] = useState('')
  const [result, setResult] = useState<LintResponse | null>(null)
  const m = useMutation()
  const lint = (): void =>
    void m.run(async () => {
      setResult(null)
      setResult(await trust.lintGcp(orgId, text))
    })
  return (
    <>
      <Section title="Check an existing provider">
        <MutationForm
          mutation={m}
          onSubmit={lint}
          submitLabel={m.busy ? 'Linting…' : 'Lint'}
          disabled={text.trim() === ''}
          fields={['providers']}
          label="Lint a provider"
        >
          <TextArea
            label="Provider or IAM policy (JSON)"
            name="providers"
            required
            rows={8}
            className="mono"
            spellCheck={false}
            value={text}
            onChange={(e) => setText(e.target.value)}
            error={m.fieldError('providers')}
            hint={
              <>
                The output of{' '}
                <code>gcloud iam workload-identity-pools providers describe --format json</code> or{' '}
                <code>gcloud iam service-accounts get-iam-policy --format json</code>; the rules of{' '}
                <code>keyless lint --cloud gcp</code>.
              </>
            }
          />
        </MutationForm>
      </Section>
      {result === null ? null : <LintPanel lint={{ ok: true, value: result }} />}
    </>
  )
}
