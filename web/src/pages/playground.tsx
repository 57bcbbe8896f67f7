import { useState, type ReactNode } from 'react'
import { enc } from '../api/client'
import { environments } from '../api/environments'
import { oidc } from '../api/oidc'
import { environmentLabel, loadOrgTree } from '../api/org-tree'
import { trust, type ExplainInput } from '../api/trust'
import { Link } from '../router'
import { ErrorState, Loading } from '../ui/feedback'
import { SelectField, TextArea, TextField } from '../ui/fields'
import { MutationForm } from '../ui/form'
import { PageHeader, Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { useMutation } from '../ui/use-mutation'
import { ExplainPanel, LintPanel, settle, type Settled } from './trust-results'
import type { ExplainResponse, LintResponse } from '../api/types'

interface Result {
  readonly lint: Settled<LintResponse>
  readonly explain: Settled<ExplainResponse> | null
}

export function PlaygroundPage({ orgId }: { orgId: string }): ReactNode {
  const [tree, reloadTree] = useAsync((signal) => loadOrgTree(orgId, signal), [orgId])
  const [policy, setPolicy] = useState('')
  const [envId, setEnvId] = useState('')
  const [duration, setDuration] = useState('')
  const [maxSession, setMaxSession] = useState('')
  const [result, setResult] = useState<Result | null>(null)
  const m = useMutation()
  const envs = tree.data?.environments ?? []
  const selectedEnv = envId === '' ? envs[0]?.id : envId

  const loadExample = (): void =>
    void m.run(async () => {
      // The account of the role the environment would assume (else AWS's documentation account).
      const roleArn =
        selectedEnv === undefined
          ? ''
          : ((await environments.preview(selectedEnv, 'aws')).roleArn ?? '')
      const accountId = /^arn:[\w-]+:iam::(\d{12}):role\//u.exec(roleArn)?.[1] ?? '123456789012'
      const roleName = /:role\/(?:.*\/)?([\w+=,.@-]+)$/u.exec(roleArn)?.[1] ?? 'keyless-deployer'
      const setup = await oidc.setup(orgId, { format: 'json', roleName, accountId })
      setPolicy(JSON.stringify(setup.trustPolicy, null, 2))
    })

  const analyze = (): void =>
    void m.run(async () => {
      const body: ExplainInput = {
        trustPolicy: policy,
        ...(duration.trim() === '' ? {} : { durationSeconds: Number(duration) }),
        ...(maxSession.trim() === '' ? {} : { maxSessionDuration: Number(maxSession) }),
      }
      const [lint, explain] = await Promise.all([
        settle(trust.lint(orgId, policy)),
        selectedEnv === undefined
          ? Promise.resolve(null)
          : settle(trust.explain(selectedEnv, body)),
      ])
      setResult({ lint, explain })
    })

  return (
    <div className="page">
      <PageHeader
        title="Trust-policy playground"
        description="Paste a role's trust policy and pick an environment: see what the linter finds and what AWS would answer for that environment's next token, condition by condition."
      />
      <Section title="Policy and token">
        <MutationForm
          mutation={m}
          onSubmit={analyze}
          submitLabel={m.busy ? 'Analyzing…' : 'Analyze'}
          disabled={policy.trim() === ''}
        >
          <TextArea
            label="Trust policy (JSON)"
            name="policy"
            required
            rows={14}
            className="mono"
            spellCheck={false}
            value={policy}
            onChange={(e) => setPolicy(e.target.value)}
            error={m.fieldError('policy')}
            hint={
              <>
                The role’s trust policy, as in IAM.{' '}
                <button type="button" className="linklike" onClick={loadExample}>
                  Insert this organization’s recommended policy
                </button>
              </>
            }
          />
          {tree.status === 'error' ? (
            <ErrorState error={tree.error} onRetry={reloadTree} />
          ) : tree.data === undefined ? (
            <Loading label="Loading environments…" />
          ) : envs.length === 0 ? (
            <p className="muted">
              No environment yet: the policy is linted only.{' '}
              <Link to={`/orgs/${enc(orgId)}`}>Create an environment</Link> to see what AWS would
              answer for its token.
            </p>
          ) : (
            <div className="grid-3">
              <SelectField
                label="Environment (whose next token to test)"
                value={selectedEnv ?? ''}
                onChange={(e) => setEnvId(e.target.value)}
              >
                {envs.map((env) => (
                  <option key={env.id} value={env.id}>
                    {environmentLabel(env)}
                  </option>
                ))}
              </SelectField>
              <TextField
                label="Requested duration (s)"
                type="number"
                inputMode="numeric"
                value={duration}
                placeholder="credential’s"
                onChange={(e) => setDuration(e.target.value)}
              />
              <TextField
                label="Role MaxSessionDuration (s)"
                type="number"
                inputMode="numeric"
                value={maxSession}
                placeholder="3600"
                onChange={(e) => setMaxSession(e.target.value)}
              />
            </div>
          )}
        </MutationForm>
      </Section>
      {result === null ? null : (
        <div className="results" aria-live="polite">
          <LintPanel lint={result.lint} />
          {result.explain === null ? null : <ExplainPanel explain={result.explain} />}
        </div>
      )}
    </div>
  )
}
