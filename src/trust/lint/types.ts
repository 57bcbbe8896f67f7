import type { Policy, Position } from '../../policy/index.js'
import type { StatementView } from './model.js'

export type Severity = 'error' | 'warning' | 'info'

export type RuleId =
  | 'L00'
  | 'L01'
  | 'L02'
  | 'L03'
  | 'L04'
  | 'L05'
  | 'L06'
  | 'L07'
  | 'L08'
  | 'L09'
  | 'L10'
  | 'L11'
  | 'L12'
  | 'L13'
  | 'L14'
  | 'L15'
  | 'L18'

/** One finding, exactly as `keyless lint --format json` prints it (docs/architecture.md §9). */
export interface Finding {
  readonly ruleId: RuleId
  readonly severity: Severity
  readonly message: string
  /** Sid, or `Statement[i]`; null for findings about the whole policy or the role. */
  readonly statement: string | null
  /** The condition key (or policy element) concerned; null when none. */
  readonly key: string | null
  readonly fix: string
}

export interface LintSummary {
  readonly errors: number
  readonly warnings: number
  readonly infos: number
}

export interface LintResult {
  readonly findings: readonly Finding[]
  readonly summary: LintSummary
  /** Where each finding points in the policy text (same order as `findings`); null when nowhere. */
  readonly locations: ReadonlyArray<Position | null>
}

export interface LintOptions {
  /** Our issuer URL (`https://…`, or `http://` on loopback): which provider is ours. */
  readonly issuer?: string
  /** The organization's audience (client ID), e.g. `aws:org_…`. */
  readonly audience?: string
  /** Subject template of the organization (default: keyless's ID-based template). */
  readonly subjectTemplate?: string
  /** Whether tokens carry session tags (default true, as keyless credentials do). */
  readonly sessionTags?: boolean
  /** The session duration deployments request (seconds), for L14. */
  readonly duration?: number
  /** The role's MaxSessionDuration (seconds), for L14; from GetRole when a role is read. */
  readonly maxSessionDuration?: number
  /** Role the policy belongs to (for messages), when read from IAM. */
  readonly roleArn?: string
}

/** What each rule sees. */
export interface LintContext {
  readonly policy: Policy
  readonly statements: readonly StatementView[]
  readonly options: LintOptions
  /** Provider URL of `options.issuer`, when given. */
  readonly ourProvider: string | undefined
  readonly subjectTemplate: string
  readonly sessionTags: boolean
}

export interface RawFinding {
  readonly severity?: Severity
  readonly message: string
  readonly statement: string | null
  readonly key: string | null
  readonly fix: string
  readonly position: Position | null
}

export interface LintRule {
  readonly id: RuleId
  /** Stable kebab-case name, e.g. `no-sub`. */
  readonly name: string
  readonly severity: Severity
  /** One line: what the rule finds. */
  readonly title: string
  check(context: LintContext): RawFinding[]
}
