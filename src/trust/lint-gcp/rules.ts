import { noCondition } from './rules/gcp01-no-condition.js'
import { userControlledCondition } from './rules/gcp02-user-controlled.js'
import { subjectTooLongRule } from './rules/gcp03-subject-too-long.js'
import { audienceMissing } from './rules/gcp04-audience.js'
import { principalSetTooWide } from './rules/gcp05-principal-set.js'
import type { GcpLintRule } from './types.js'

/** Every rule of the workload-identity lint, in id order (docs/lint-rules.md, "Google Cloud"). */
export const GCP_LINT_RULES: readonly GcpLintRule[] = [
  noCondition,
  userControlledCondition,
  subjectTooLongRule,
  audienceMissing,
  principalSetTooWide,
]
