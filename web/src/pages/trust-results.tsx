import type { ReactNode } from 'react'
import type { ConditionRow } from '../../../src/shared/explanation/index.js'
import type { ExplainResponse, ExplainStatement, LintFinding, LintResponse } from '../api/types'
import { Badge } from '../ui/badge'
import { Empty, FormError } from '../ui/feedback'
import { Section } from '../ui/layout'
import { ConditionTable } from './condition-table'

/** An answer or the error that came instead (lint and explain are shown side by side). */
export type Settled<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown }

export function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  )
}

export function LintPanel({ lint }: { lint: Settled<LintResponse> }): ReactNode {
  if (!lint.ok)
    return (
      <Section title="Lint findings">
        <FormError error={lint.error} />
      </Section>
    )
  const { findings, summary } = lint.value
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
        {f.statement === null ? null : <span className="muted">{f.statement}</span>}
        {f.key === null ? null : <code className="muted">{f.key}</code>}
      </div>
      <p>{f.message}</p>
      {f.fix === '' ? null : (
        <p className="fix">
          <strong>Fix:</strong> {f.fix}
        </p>
      )}
    </li>
  )
}

const CHECK_TONE = { ok: 'succeeded', fail: 'failed', warn: 'warning', skipped: 'pending' } as const
const CHECK_LABEL = { ok: 'ok', fail: 'fails', warn: 'warn', skipped: 'skipped' } as const

function Decision({ e }: { e: ExplainResponse }): ReactNode {
  const allowed = e.decision === 'allowed'
  return (
    <div className={`banner ${allowed ? 'success' : 'danger'}`} data-testid="explain-decision">
      <p>
        <strong>{allowed ? 'Allowed' : 'Denied'}.</strong>{' '}
        {allowed
          ? `AWS would issue credentials${e.assumedRoleArn === null ? '' : ` as ${e.assumedRoleArn}`}.`
          : e.awsError === null
            ? ''
            : `${e.awsError.code}: ${e.awsError.message}`}
      </p>
      {e.signatureChecked ? null : (
        <p className="muted">The token preview is unsigned: its signature was not checked.</p>
      )}
    </div>
  )
}

export function ExplainPanel({ explain }: { explain: Settled<ExplainResponse> }): ReactNode {
  if (!explain.ok)
    return (
      <Section title="What AWS would answer">
        <FormError error={explain.error} />
      </Section>
    )
  const e = explain.value
  return (
    <Section title="What AWS would answer">
      <Decision e={e} />
      {e.checks.length === 0 ? null : (
        <ul className="checks">
          {e.checks.map((c, i) => (
            <li key={i} className={c.status === 'fail' ? 'check fail' : 'check'}>
              <Badge value={CHECK_TONE[c.status]} label={CHECK_LABEL[c.status]} />{' '}
              <strong>{c.name}</strong> {c.message}
            </li>
          ))}
        </ul>
      )}
      {e.statements.map((s, i) => (
        <StatementExplanation key={i} statement={s} />
      ))}
      {e.lines.length === 0 ? null : (
        <details className="raw">
          <summary>Step by step (as `keyless explain` prints it)</summary>
          <ul className="explanation">
            {e.lines.map((l, i) => (
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

/** The statement's conditions as rows of the shared condition table. */
export function statementRows(s: ExplainStatement): ConditionRow[] {
  return s.conditions.map((c) => ({
    action: s.action,
    statement: s.sid ?? s.statement,
    key: c.key,
    operator: c.operator,
    tokenValues: c.tokenValue,
    policyValues: c.policyValues,
    met: c.passed,
  }))
}

function StatementExplanation({ statement: s }: { statement: ExplainStatement }): ReactNode {
  return (
    <div className="statement">
      <h3>
        {s.statement}
        {s.sid === null || s.sid === s.statement ? '' : ` (${s.sid})`}{' '}
        <span className="muted">
          {s.effect ?? '—'} · checked for {s.action}
        </span>
      </h3>
      {s.principalMatched === false ? (
        <p className="field-error">
          The statement’s Principal does not name this issuer’s IAM OIDC provider in the role’s
          account, so it never applies (check the account id and the provider URL in the Federated
          ARN).
        </p>
      ) : null}
      {s.actionMatched ? null : (
        <p className="muted">The statement’s Action does not include {s.action}.</p>
      )}
      {s.conditions.length === 0 ? (
        <p className="muted">No conditions.</p>
      ) : (
        <ConditionTable rows={statementRows(s)} statementColumn={false} />
      )}
    </div>
  )
}
