import { iamRefuses } from './rules/l00-iam-refuses.js'
import { noSub } from './rules/l01-no-sub.js'
import { subWildcard } from './rules/l02-sub-wildcard.js'
import { userControlledSub } from './rules/l03-user-controlled-sub.js'
import { audLoose } from './rules/l04-aud.js'
import { failOpen } from './rules/l05-fail-open.js'
import { wildcardOperator } from './rules/l06-wildcard-operator.js'
import { duplicateKeys } from './rules/l07-duplicate-keys.js'
import { keyPrefix } from './rules/l08-key-prefix.js'
import { unsupportedClaim } from './rules/l09-unsupported-claim.js'
import { tagSession } from './rules/l10-tag-session.js'
import { tagGating } from './rules/l11-tag-gating.js'
import { orgOnly } from './rules/l12-org-only.js'
import { principalAction } from './rules/l13-principal-action.js'
import { durationMismatch } from './rules/l14-duration.js'
import { planApply } from './rules/l15-plan-apply.js'
import { subFormat } from './rules/l18-sub-format.js'
import type { LintRule } from './types.js'

/** Every lint rule, in id order: the one registry (docs/lint-rules.md has a section per rule). */
export const LINT_RULES: readonly LintRule[] = [
  iamRefuses,
  noSub,
  subWildcard,
  userControlledSub,
  audLoose,
  failOpen,
  wildcardOperator,
  duplicateKeys,
  keyPrefix,
  unsupportedClaim,
  tagSession,
  tagGating,
  orgOnly,
  principalAction,
  durationMismatch,
  planApply,
  subFormat,
]

/** The anchor of a rule's section in docs/lint-rules.md, e.g. `l01-no-sub`. */
export function ruleAnchor(rule: Pick<LintRule, 'id' | 'name'>): string {
  return `${rule.id.toLowerCase()}-${rule.name}`
}
