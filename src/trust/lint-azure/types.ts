/**
 * Lint of Entra federated identity credentials (FICs) against what keyless tokens carry: the
 * issuer exactly, a subject the credential's template can render (case-sensitive), the
 * credential's audience, at most 20 per application. Findings have the shape of the trust-policy
 * lint's (`{ ruleId, severity, message, statement, key, fix }`, docs/lint-rules.md).
 */
import type { Severity } from '../lint/types.js'

export type AzureRuleId = 'AZ01' | 'AZ02' | 'AZ03' | 'AZ04' | 'AZ05'

export interface AzureFinding {
  readonly ruleId: AzureRuleId
  readonly severity: Severity
  readonly message: string
  /** The FIC (`<application>/<name>`), or the application for AZ05. */
  readonly statement: string | null
  /** The FIC field concerned: `issuer`, `subject`, `audiences`; null for the application. */
  readonly key: string | null
  readonly fix: string
}

export interface AzureLintResult {
  readonly findings: readonly AzureFinding[]
  readonly summary: { readonly errors: number; readonly warnings: number; readonly infos: number }
}

export interface AzureLintOptions {
  /** keyless's issuer; without it every FIC is taken for keyless's and AZ01 is not judged. */
  readonly issuer?: string
  /** The organization whose tokens the FICs must admit (its subjects start `org:<id>`). */
  readonly organizationId?: string
  /** The credential's audience; default `azure:<organizationId>` when the organization is known. */
  readonly audience?: string
  /** The credential's subject template; default keyless's Azure one. */
  readonly subjectTemplate?: string
}

/** A FIC as read, its fields not yet trusted. */
export interface FicView {
  /** The application (client id) or managed identity it belongs to, when known. */
  readonly application: string | null
  readonly name: string
  readonly issuer: unknown
  readonly subject: unknown
  readonly audiences: unknown
  /** A flexible credential's expression (Graph beta), as given. */
  readonly claimsMatchingExpression?: unknown
  /** `<application>/<name>` or `<name>`. */
  readonly label: string
}

export interface AzureLintContext {
  readonly options: AzureLintOptions
  readonly applications: ReadonlyArray<{
    readonly application: string | null
    readonly fics: readonly FicView[]
  }>
  /** The FICs of keyless's issuer (all of them when no issuer is given). */
  readonly ours: readonly FicView[]
  readonly audience: string | undefined
  readonly subjectTemplate: string
}

export interface AzureRawFinding {
  readonly severity?: Severity
  readonly message: string
  readonly statement: string | null
  readonly key: string | null
  readonly fix: string
}

export interface AzureLintRule {
  readonly id: AzureRuleId
  readonly name: string
  readonly severity: Severity
  readonly title: string
  check(context: AzureLintContext): AzureRawFinding[]
}
