/** Explanations as lines of text, one fact per line, for CLIs and logs. */
import type {
  ConditionExplanation,
  EvaluationResult,
  StatementExplanation,
  WebIdentityTrustResult,
} from './types.js'

function yesNo(v: boolean | null, what: string): string {
  return v === null ? `${what} not checked` : v ? `${what} matched` : `${what} did not match`
}

function conditionLine(c: ConditionExplanation): string {
  const request =
    c.requestValues === null
      ? 'absent'
      : c.requestValues.length === 1
        ? `\`${c.requestValues[0]}\``
        : `[${c.requestValues.map((v) => `\`${v}\``).join(', ')}]`
  const policy = c.policyValues.map((v) => `\`${v}\``).join(', ')
  return `    ${c.matched ? 'met:    ' : 'not met:'} ${c.operator} ${c.key}: request ${request}; policy ${policy} (line ${c.line})`
}

function statementLines(s: StatementExplanation): string[] {
  const head =
    `  ${s.statement} (${s.effect ?? 'no Effect'}, line ${s.line}): ` +
    [
      yesNo(s.principalMatched, 'principal'),
      yesNo(s.actionMatched, 'action'),
      yesNo(s.resourceMatched, 'resource'),
      s.conditions.length === 0
        ? 'no conditions'
        : s.conditionsMatched
          ? 'conditions met'
          : 'conditions not met',
    ].join(', ') +
    (s.applies ? ' → applies' : ' → does not apply')
  return [head, ...s.conditions.map(conditionLine)]
}

function resultLines(r: EvaluationResult): string[] {
  const lines = [`${r.action}: ${r.decision}`]
  for (const s of r.statements) lines.push(...statementLines(s))
  for (const f of r.failing) lines.push(`  because ${f.message}`)
  return lines
}

/** What `explainLines` reads of a trust result (its request context and failing list are not). */
export type TrustExplanation = Pick<WebIdentityTrustResult, 'decision' | 'summary' | 'checks'>

/** Human-readable lines, one fact per line, for CLIs and logs. */
export function explainLines(result: EvaluationResult | TrustExplanation): string[] {
  if ('checks' in result) {
    const lines = [`decision: ${result.decision}`, result.summary]
    for (const c of result.checks) lines.push(...resultLines(c.result))
    return lines
  }
  return resultLines(result)
}
