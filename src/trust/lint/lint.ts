/**
 * `lintTrustPolicy`: runs every rule of docs/lint-rules.md that can be judged from the policy (and
 * from the issuer, audience and role when given) over a trust policy text.
 */
import { parsePolicy, type Position } from '../../policy/index.js'
import { KeylessError } from '../../shared/errors.js'
import { DEFAULT_SUBJECT_TEMPLATE } from '../../shared/subject-template.js'
import { providerUrlOf } from '../provider.js'
import { statementViews } from './model.js'
import { LINT_RULES } from './rules.js'
import type { Finding, LintContext, LintOptions, LintResult } from './types.js'

/** More statements than any trust policy can hold (IAM's ACLSizePerRole quota is 2048–4096 characters). */
export const MAX_STATEMENTS = 1000

/** True when the text holds control characters no JSON document has (NUL, C0 except whitespace). */
export function isBinary(text: string): boolean {
  for (let i = 0; i < Math.min(text.length, 65536); i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true
    if (c === 0xfffd) return true
  }
  return false
}

/**
 * Lints a trust policy. Throws `KeylessError('input_unreadable')` when the text is not a policy
 * at all (not JSON, binary, no Statement, absurdly large); every other problem is a finding.
 */
export function lintTrustPolicy(text: string, options: LintOptions = {}): LintResult {
  if (isBinary(text))
    throw new KeylessError('input_unreadable', 'the input is binary, not a JSON policy document')
  const parsed = parsePolicy(text)
  if (!parsed.ok) {
    const { error } = parsed
    throw new KeylessError(
      'input_unreadable',
      error.code === 'InvalidJson'
        ? `not JSON: ${error.message} (line ${error.line}, column ${error.column})`
        : `not a policy: ${error.message}`,
    )
  }
  const policy = parsed.policy
  const hasStatement =
    policy.statements.length > 0 || policy.problems.some((p) => p.path.startsWith('Statement'))
  if (!hasStatement)
    throw new KeylessError(
      'input_unreadable',
      'not a policy: a trust policy is a JSON object with a "Statement" (and "Version": "2012-10-17")',
    )
  if (policy.statements.length > MAX_STATEMENTS)
    throw new KeylessError(
      'input_unreadable',
      `not a trust policy: ${policy.statements.length} statements, far over what IAM accepts for a role (the ACLSizePerRole quota is 2048 characters by default, 4096 at most)`,
    )
  const context: LintContext = {
    policy,
    statements: statementViews(policy),
    options,
    ourProvider: options.issuer === undefined ? undefined : providerUrlOf(options.issuer),
    subjectTemplate: options.subjectTemplate ?? DEFAULT_SUBJECT_TEMPLATE,
    sessionTags: options.sessionTags ?? true,
  }
  const findings: Finding[] = []
  const locations: Array<Position | null> = []
  for (const rule of LINT_RULES) {
    for (const raw of rule.check(context)) {
      findings.push({
        ruleId: rule.id,
        severity: raw.severity ?? rule.severity,
        message: raw.message,
        statement: raw.statement,
        key: raw.key,
        fix: raw.fix,
      })
      locations.push(raw.position)
    }
  }
  return {
    findings,
    locations,
    summary: {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      infos: findings.filter((f) => f.severity === 'info').length,
    },
  }
}
