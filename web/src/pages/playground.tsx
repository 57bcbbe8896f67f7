import { useState, type FormEvent, type ReactNode } from 'react'
import { api, enc, query } from '../api/client'
import { environmentLabel, loadOrgTree } from '../api/data'
import type { LintFinding, LintResult } from '../api/types'
import { Link } from '../router'
import {
  Badge,
  Empty,
  ErrorState,
  fieldError,
  FormError,
  Loading,
  PageHeader,
  Section,
  SelectField,
  TextArea,
  TextField,
} from '../ui/components'
import { useAsync } from '../ui/use-async'

type Explanation = Record<string, unknown>

interface Result {
  readonly lint: LintResult | { error: unknown }
  readonly explain: Explanation | { error: unknown } | null
}

export function PlaygroundPage({ orgId }: { orgId: string }): ReactNode {
  const [tree, reloadTree] = useAsync((signal) => loadOrgTree(orgId, signal), [orgId])
  const [policy, setPolicy] = useState('')
  const [envId, setEnvId] = useState('')
  const [duration, setDuration] = useState('')
  const [maxSession, setMaxSession] = useState('')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<Result | null>(null)
  const [error, setError] = useState<unknown>(null)
  const envs = tree.data?.environments ?? []
  const selectedEnv = envId === '' ? envs[0]?.id : envId

  const loadExample = async (): Promise<void> => {
    setError(null)
    try {
      // The account of the role the environment would assume (else AWS's documentation account).
      const preview =
        selectedEnv === undefined
          ? undefined
          : await api.get<{ roleArn?: string | null }>(
              `/environments/${enc(selectedEnv)}/oidc-preview`,
            )
      const accountId =
        /^arn:[\w-]+:iam::(\d{12}):role\//u.exec(preview?.roleArn ?? '')?.[1] ?? '123456789012'
      const roleName =
        /:role\/(?:.*\/)?([\w+=,.@-]+)$/u.exec(preview?.roleArn ?? '')?.[1] ?? 'keyless-deployer'
      const r = await api.get<{ content: string; trustPolicy?: unknown }>(
        `/organizations/${enc(orgId)}/setup${query({ format: 'json', roleName, accountId })}`,
      )
      setPolicy(
        r.trustPolicy === undefined
          ? extractTrustPolicy(r.content)
          : JSON.stringify(r.trustPolicy, null, 2),
      )
    } catch (err) {
      setError(err)
    }
  }

  const analyze = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    const settle = <T,>(p: Promise<T>): Promise<T | { error: unknown }> =>
      p.catch((err: unknown) => ({ error: err }))
    const explainBody: Record<string, unknown> = { trustPolicy: policy }
    if (duration.trim() !== '') explainBody['durationSeconds'] = Number(duration)
    if (maxSession.trim() !== '') explainBody['maxSessionDuration'] = Number(maxSession)
    const [lint, explain] = await Promise.all([
      settle(api.post<LintResult>(`/organizations/${enc(orgId)}/trust/lint`, { policy })),
      selectedEnv === undefined
        ? Promise.resolve(null)
        : settle(
            api.post<Explanation>(`/environments/${enc(selectedEnv)}/trust/explain`, explainBody),
          ),
    ])
    setResult({ lint, explain })
    setBusy(false)
  }

  return (
    <div className="page">
      <PageHeader
        title="Trust-policy playground"
        description="Paste a role's trust policy and pick an environment: see what the linter finds and what AWS would answer for that environment's next token, condition by condition."
      />
      <Section title="Policy and token">
        <form className="form" onSubmit={(e) => void analyze(e)} noValidate>
          <FormError error={error} />
          <TextArea
            label="Trust policy (JSON)"
            name="policy"
            required
            rows={14}
            className="mono"
            spellCheck={false}
            value={policy}
            onChange={(e) => setPolicy(e.target.value)}
            error={fieldError(error, 'policy')}
            hint={
              <>
                The role’s trust policy, as in IAM.{' '}
                <button type="button" className="linklike" onClick={() => void loadExample()}>
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
          <div className="form-actions">
            <button
              type="submit"
              className="button primary"
              disabled={busy || policy.trim() === ''}
            >
              {busy ? 'Analyzing…' : 'Analyze'}
            </button>
          </div>
        </form>
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

function extractTrustPolicy(content: string): string {
  try {
    const parsed: unknown = JSON.parse(content)
    if (typeof parsed === 'object' && parsed !== null) {
      const o = parsed as Record<string, unknown>
      const candidate =
        o['trustPolicy'] ??
        o['AssumeRolePolicyDocument'] ??
        (o['Statement'] === undefined ? undefined : o)
      if (candidate !== undefined) return JSON.stringify(candidate, null, 2)
    }
  } catch {
    // keep the text as generated
  }
  return content
}

function isError(v: unknown): v is { error: unknown } {
  return typeof v === 'object' && v !== null && 'error' in v && !('findings' in v)
}

function LintPanel({ lint }: { lint: LintResult | { error: unknown } }): ReactNode {
  if (isError(lint))
    return (
      <Section title="Lint findings">
        <FormError error={lint.error} />
      </Section>
    )
  const { findings, summary } = lint
  return (
    <Section
      title="Lint findings"
      actions={
        <span className="muted">
          {summary.errors} errors, {summary.warnings} warnings, {summary.infos} infos
        </span>
      }
    >
      {findings.length === 0 ? (
        <Empty title="No findings">The policy passes every lint rule.</Empty>
      ) : (
        <ul className="findings" data-testid="lint-findings">
          {findings.map((f, i) => (
            <Finding key={`${f.ruleId}-${i}`} finding={f} />
          ))}
        </ul>
      )}
    </Section>
  )
}

function Finding({ finding: f }: { finding: LintFinding }): ReactNode {
  return (
    <li className={`finding sev-${f.severity}`}>
      <div className="finding-head">
        <Badge value={f.severity} /> <code>{f.ruleId}</code>
        {f.statement === undefined || f.statement === null ? null : (
          <span className="muted">{String(f.statement)}</span>
        )}
        {f.key === undefined || f.key === null ? null : <code className="muted">{f.key}</code>}
      </div>
      <p>{f.message}</p>
      {f.fix === undefined || f.fix === null || f.fix === '' ? null : (
        <p className="fix">
          <strong>Fix:</strong> {f.fix}
        </p>
      )}
    </li>
  )
}

function str(v: unknown): string {
  if (v === undefined || v === null) return '—'
  if (typeof v === 'string') return v
  return JSON.stringify(v)
}

function pick(o: Record<string, unknown>, ...keys: string[]): unknown {
  for (const k of keys) if (o[k] !== undefined) return o[k]
  return undefined
}

function asRecords(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v)
    ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
    : []
}

function passed(c: Record<string, unknown>): boolean | undefined {
  const v = pick(c, 'passed', 'matched', 'result', 'ok', 'satisfied')
  if (typeof v === 'boolean') return v
  if (v === 'pass' || v === 'passed' || v === 'match' || v === 'matched' || v === 'true')
    return true
  if (v === 'fail' || v === 'failed' || v === 'no-match' || v === 'false') return false
  return undefined
}

function ExplainPanel({ explain }: { explain: Explanation | { error: unknown } }): ReactNode {
  if (isError(explain) && Object.keys(explain).length === 1)
    return (
      <Section title="What AWS would answer">
        <FormError error={explain.error} />
      </Section>
    )
  const e = explain as Explanation
  const decision = pick(e, 'decision', 'outcome', 'result')
  const allowed =
    typeof e['allowed'] === 'boolean'
      ? e['allowed']
      : decision === 'allowed' || decision === 'allow'
  const awsError = pick(e, 'awsError', 'error') as Record<string, unknown> | string | undefined
  const statements = asRecords(pick(e, 'statements', 'statementResults'))
  const checks = asRecords(pick(e, 'checks', 'steps'))
  const lines = Array.isArray(e['lines']) ? (e['lines'] as unknown[]).map(str) : []
  const signatureNote = pick(e, 'signatureChecked', 'signatureVerified')
  return (
    <Section title="What AWS would answer">
      <div className={`banner ${allowed ? 'success' : 'danger'}`} data-testid="explain-decision">
        <p>
          <strong>{allowed ? 'Allowed' : 'Denied'}.</strong>{' '}
          {allowed
            ? `AWS would issue credentials${e['assumedRoleArn'] === undefined ? '' : ` as ${str(e['assumedRoleArn'])}`}.`
            : typeof awsError === 'string'
              ? awsError
              : awsError === undefined
                ? ''
                : `${str(awsError['code'])}: ${str(awsError['message'])}`}
        </p>
        {signatureNote === false ? (
          <p className="muted">The token preview is unsigned: its signature was not checked.</p>
        ) : null}
      </div>
      {checks.length === 0 ? null : (
        <ul className="checks">
          {checks.map((c, i) => {
            const status = typeof c['status'] === 'string' ? c['status'] : undefined
            const ok = status === 'skipped' || status === 'warn' ? undefined : passed(c)
            const tone =
              ok === false
                ? 'failed'
                : ok === true
                  ? 'succeeded'
                  : status === 'warn'
                    ? 'warning'
                    : 'pending'
            const label = ok === false ? 'fails' : ok === true ? 'ok' : (status ?? 'info')
            return (
              <li key={i} className={ok === false ? 'check fail' : 'check'}>
                <Badge value={tone} label={label} />{' '}
                <strong>{str(pick(c, 'name', 'check', 'title'))}</strong>{' '}
                {str(pick(c, 'message', 'detail', 'reason'))}
              </li>
            )
          })}
        </ul>
      )}
      {statements.map((s, i) => (
        <StatementExplanation key={i} statement={s} index={i} />
      ))}
      {lines.length === 0 ? null : (
        <details className="raw">
          <summary>Step by step (as `keyless explain` prints it)</summary>
          <ul className="explanation">
            {lines.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
        </details>
      )}
      <details className="raw">
        <summary>Full explanation (JSON)</summary>
        <pre>{JSON.stringify(e, null, 2)}</pre>
      </details>
    </Section>
  )
}

function StatementExplanation({
  statement: s,
  index,
}: {
  statement: Record<string, unknown>
  index: number
}): ReactNode {
  const conditions = asRecords(pick(s, 'conditions', 'conditionResults'))
  const label = pick(s, 'sid', 'Sid')
  const name = pick(s, 'statement')
  const action = pick(s, 'action')
  const summary = pick(s, 'summary', 'message', 'reason')
  return (
    <div className="statement">
      <h3>
        {typeof name === 'string' ? name : `Statement[${str(pick(s, 'index') ?? index)}]`}
        {label === undefined || label === null || label === name ? '' : ` (${str(label)})`}{' '}
        <span className="muted">
          {str(pick(s, 'effect', 'Effect'))}
          {typeof action === 'string' ? ` · checked for ${action}` : ''}
        </span>
      </h3>
      {summary === undefined ? null : <p>{str(summary)}</p>}
      {s['principalMatched'] === false ? (
        <p className="field-error">
          The statement’s Principal does not name this issuer’s IAM OIDC provider in the role’s
          account, so it never applies (check the account id and the provider URL in the Federated
          ARN).
        </p>
      ) : null}
      {s['actionMatched'] === false ? (
        <p className="muted">The statement’s Action does not include {str(pick(s, 'action'))}.</p>
      ) : null}
      {conditions.length === 0 ? (
        <p className="muted">No conditions.</p>
      ) : (
        <div className="table-wrap">
          <table className="table conditions stack">
            <thead>
              <tr>
                <th scope="col">Result</th>
                <th scope="col">Operator</th>
                <th scope="col">Key</th>
                <th scope="col">Token value</th>
                <th scope="col">Policy values</th>
              </tr>
            </thead>
            <tbody>
              {conditions.map((c, i) => {
                const ok = passed(c)
                return (
                  <tr
                    key={i}
                    className={ok === false ? 'row-fail' : undefined}
                    data-result={ok === false ? 'fail' : 'pass'}
                  >
                    <td data-label="Result">
                      <Badge
                        value={ok === false ? 'failed' : 'succeeded'}
                        label={ok === false ? 'fails' : 'passes'}
                      />
                    </td>
                    <td data-label="Operator">
                      <code>{str(pick(c, 'operator', 'op'))}</code>
                    </td>
                    <td data-label="Key">
                      <code>{str(pick(c, 'key', 'conditionKey'))}</code>
                    </td>
                    <td data-label="Token value">
                      <Values
                        value={pick(
                          c,
                          'tokenValue',
                          'actual',
                          'requestValue',
                          'contextValue',
                          'value',
                        )}
                        absent="absent from the token"
                      />
                    </td>
                    <td data-label="Policy values">
                      <Values value={pick(c, 'policyValues', 'expected', 'values')} absent="none" />
                      {pick(c, 'message', 'reason') === undefined ? null : (
                        <p className="hint">{str(pick(c, 'message', 'reason'))}</p>
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

/** Condition values, one per line; null means the key is absent from the request. */
function Values({ value, absent }: { value: unknown; absent: string }): ReactNode {
  if (value === null || value === undefined) return <span className="muted">{absent}</span>
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    if (value.length === 0) return <span className="muted">{absent}</span>
    return (
      <span className="values">
        {value.map((v, i) => (
          <code key={i}>{v === '' ? '""' : v}</code>
        ))}
      </span>
    )
  }
  return <code>{str(value)}</code>
}
