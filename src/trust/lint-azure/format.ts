/** Output of the federated-credential lint: the trust-policy lint's text and JSON shapes. */
import type { AzureLintResult } from './types.js'

/** The result of the Azure or Google lint (same shape, their own rule ids). */
export interface CloudLintResult {
  readonly findings: ReadonlyArray<{
    readonly ruleId: string
    readonly severity: string
    readonly message: string
    readonly fix: string
  }>
  readonly summary: AzureLintResult['summary']
}

export function azureLintJson(result: CloudLintResult): string {
  return `${JSON.stringify({ findings: result.findings, summary: result.summary }, null, 2)}\n`
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

export function azureLintText(result: CloudLintResult, file: string): string {
  const lines: string[] = []
  for (const f of result.findings) {
    lines.push(`${file}  ${f.severity}  ${f.ruleId}  ${f.message}`, `    fix: ${f.fix}`)
  }
  const { errors, warnings, infos } = result.summary
  lines.push(
    result.findings.length === 0
      ? `${file}: no problems found`
      : `${plural(result.findings.length, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')})`,
  )
  return `${lines.join('\n')}\n`
}
