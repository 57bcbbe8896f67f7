/**
 * Lint of Google workload identity providers (IAM v1 JSON) and the principal sets bound to
 * service accounts, against what keyless tokens carry: a condition that pins keyless-set claims,
 * a `google.subject` Google can keep (127 bytes), the credential's audience allowed, bindings no
 * wider than the organization. Findings have the shape of the trust-policy lint's.
 */
import type { Severity } from '../lint/types.js'

export type GcpRuleId = 'GCP01' | 'GCP02' | 'GCP03' | 'GCP04' | 'GCP05'

export interface GcpFinding {
  readonly ruleId: GcpRuleId
  readonly severity: Severity
  readonly message: string
  /** The provider's name (or `[i]`), or the member for GCP05. */
  readonly statement: string | null
  /** `attributeCondition`, `attributeMapping`, `oidc.allowedAudiences`, `members`. */
  readonly key: string | null
  readonly fix: string
}

export interface GcpLintResult {
  readonly findings: readonly GcpFinding[]
  readonly summary: { readonly errors: number; readonly warnings: number; readonly infos: number }
}

export interface GcpLintOptions {
  /** The organization whose tokens the providers must admit. */
  readonly organizationId?: string
  /** The credential's audience; default `gcp:<organizationId>` when the organization is known. */
  readonly audience?: string
  /** The subject template of the tokens; default keyless's. */
  readonly subjectTemplate?: string
}

/** A provider as read, its fields not yet trusted. */
export interface ProviderView {
  readonly label: string
  readonly attributeMapping: Readonly<Record<string, unknown>>
  readonly attributeCondition: unknown
  readonly allowedAudiences: unknown
}

/** A member of a binding (IAM policy or `keyless setup gcp` JSON). */
export interface MemberView {
  readonly serviceAccount: string | null
  readonly role: string
  readonly member: string
}

export interface GcpLintContext {
  readonly options: GcpLintOptions
  readonly providers: readonly ProviderView[]
  readonly members: readonly MemberView[]
  readonly audience: string | undefined
  readonly subjectTemplate: string
}

export interface GcpRawFinding {
  readonly severity?: Severity
  readonly message: string
  readonly statement: string | null
  readonly key: string | null
  readonly fix: string
}

export interface GcpLintRule {
  readonly id: GcpRuleId
  readonly name: string
  readonly severity: Severity
  readonly title: string
  check(context: GcpLintContext): GcpRawFinding[]
}
