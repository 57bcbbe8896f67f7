/**
 * `lintFics`: runs every rule of the federated-credential lint over FICs read from JSON (see
 * read.ts). FICs of other issuers (GitHub's, an AKS cluster's) are not judged, but count toward
 * an application's 20.
 */
import { AZURE_DEFAULT_SUBJECT_TEMPLATE } from '../../shared/subject-template.js'
import { issuerDifference } from './issuer.js'
import { readFics } from './read.js'
import { AZURE_LINT_RULES } from './rules.js'
import type { AzureFinding, AzureLintContext, AzureLintOptions, AzureLintResult } from './types.js'

function context(text: string, options: AzureLintOptions): AzureLintContext {
  const applications = readFics(text)
  const all = applications.flatMap((a) => a.fics)
  const ours =
    options.issuer === undefined
      ? all
      : all.filter((f) => {
          if (typeof f.issuer !== 'string') return true
          const d = issuerDifference(f.issuer, options.issuer ?? '')
          return d.same || d.respelled
        })
  return {
    options,
    applications,
    ours,
    audience:
      options.audience ??
      (options.organizationId === undefined ? undefined : `azure:${options.organizationId}`),
    subjectTemplate: options.subjectTemplate ?? AZURE_DEFAULT_SUBJECT_TEMPLATE,
  }
}

/** Lints FIC JSON; throws `input_unreadable` when the text holds no federated credentials. */
export function lintFics(text: string, options: AzureLintOptions = {}): AzureLintResult {
  const ctx = context(text, options)
  const findings: AzureFinding[] = []
  for (const rule of AZURE_LINT_RULES)
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
