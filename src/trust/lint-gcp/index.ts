/** The lint of Google workload identity providers and bindings (docs/lint-rules.md, "Google Cloud"). */
export { lintProviders } from './lint.js'
export { readProviders } from './read.js'
export { GCP_LINT_RULES } from './rules.js'
export type { GcpFinding, GcpLintOptions, GcpLintResult, GcpLintRule, GcpRuleId } from './types.js'
