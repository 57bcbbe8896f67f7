/** `lintProviders`: runs every rule of the workload-identity lint over JSON read by read.ts. */
import { DEFAULT_SUBJECT_TEMPLATE } from '../../shared/subject-template.js'
import { readProviders } from './read.js'
import { GCP_LINT_RULES } from './rules.js'
import type { GcpFinding, GcpLintContext, GcpLintOptions, GcpLintResult } from './types.js'

function context(text: string, options: GcpLintOptions): GcpLintContext {
  return {
    options,
    ...readProviders(text),
    audience:
      options.audience ??
      (options.organizationId === undefined ? undefined : `gcp:${options.organizationId}`),
    subjectTemplate: options.subjectTemplate ?? DEFAULT_SUBJECT_TEMPLATE,
  }
}

/** Lints provider JSON; throws `input_unreadable` when the text holds no provider or binding. */
export function lintProviders(text: string, options: GcpLintOptions = {}): GcpLintResult {
  const ctx = context(text, options)
  const findings: GcpFinding[] = []
  for (const rule of GCP_LINT_RULES)
    for (const raw of rule.check(ctx))
      findings.push({
        ruleId: rule.id,
        severity: raw.severity ?? rule.severity,
        message: raw.message,
        statement: raw.statement,
        key: raw.key,
        fix: raw.fix,
      })
  const count = (s: string): number => findings.filter((f) => f.severity === s).length
  return {
    findings,
    summary: { errors: count('error'), warnings: count('warning'), infos: count('info') },
  }
}
