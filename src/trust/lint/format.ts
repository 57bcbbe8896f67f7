/**
 * Lint output: text for people, JSON (docs/architecture.md §9, exact shape) and SARIF 2.1.0 for
 * code scanning.
 */
import type { Finding, LintResult, Severity } from './types.js'
import { LINT_RULES, ruleAnchor } from './rules.js'

export type LintFormat = 'text' | 'json' | 'sarif'

/** Where each rule is documented, relative to the repository root. */
export const LINT_DOCS = 'docs/lint-rules.md'

/** `{ findings: [{ ruleId, severity, message, statement, key, fix }], summary }`, nothing more. */
export function lintJson(result: LintResult): string {
  const findings = result.findings.map((f: Finding) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    statement: f.statement,
    key: f.key,
    fix: f.fix,
  }))
  const { errors, warnings, infos } = result.summary
  return `${JSON.stringify({ findings, summary: { errors, warnings, infos } }, null, 2)}\n`
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** One block per finding (`file:line:col  severity  id  message` + the fix), then a summary line. */
export function lintText(result: LintResult, file: string): string {
  const lines: string[] = []
  result.findings.forEach((f, i) => {
    const at = result.locations[i]
    const where = at === null || at === undefined ? file : `${file}:${at.line}:${at.column}`
    lines.push(`${where}  ${f.severity}  ${f.ruleId}  ${f.message}`)
    lines.push(`    fix: ${f.fix}`)
  })
  const { errors, warnings, infos } = result.summary
  if (result.findings.length === 0) lines.push(`${file}: no problems found`)
  else
    lines.push(
      `${plural(result.findings.length, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')})`,
    )
  return `${lines.join('\n')}\n`
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
}

/** A SARIF 2.1.0 log with one run; valid against the OASIS schema (tested). */
export function lintSarif(result: LintResult, file: string, toolVersion = '0.1.0'): string {
  const rules = LINT_RULES.map((r) => ({
    id: r.id,
    name: r.name,
    shortDescription: { text: r.title },
    help: { text: `See ${LINT_DOCS}#${ruleAnchor(r)} for a bad and a good example.` },
    defaultConfiguration: { level: LEVEL[r.severity] },
  }))
  const results = result.findings.map((f, i) => {
    const at = result.locations[i]
    const region =
      at === null || at === undefined
        ? {}
        : { region: { startLine: at.line, startColumn: at.column } }
    return {
      ruleId: f.ruleId,
      ruleIndex: LINT_RULES.findIndex((r) => r.id === f.ruleId),
      level: LEVEL[f.severity],
      message: { text: `${f.message} Fix: ${f.fix}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: encodeURI(file) }, ...region },
          ...(f.statement === null
            ? {}
            : { logicalLocations: [{ name: f.statement, kind: 'object' }] }),
        },
      ],
      properties: { statement: f.statement, key: f.key, fix: f.fix },
    }
  })
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keyless-lint',
            version: toolVersion,
            rules,
          },
        },
        results,
      },
    ],
  }
  return `${JSON.stringify(log, null, 2)}\n`
}
