/**
 * Public types of the policy engine. Everything here is plain data: JSON-serializable, no class
 * instances, so results can go over the wire (emulator decision log, console) unchanged.
 */

/** A 1-based line and column in the policy text. */
export interface Position {
  readonly line: number
  readonly column: number
}

/** A JSON object key that appears twice in the same object (JSON.parse keeps only the last one). */
export interface DuplicateKey {
  /** JSON path of the object holding the key, e.g. `Statement[0].Condition.StringEquals`. */
  readonly path: string
  readonly key: string
  /** Position of the second (or later) occurrence. */
  readonly line: number
  readonly column: number
}

/** Why a text is not a policy at all (not JSON, too big, too deep, wrong shape). */
export interface PolicyError {
  readonly code: 'InvalidJson' | 'TooLarge' | 'TooDeep' | 'InvalidShape'
  readonly message: string
  readonly line: number
  readonly column: number
}

/** `Principal` / `NotPrincipal` as written: `"*"` or a map of type → identifiers. */
export type PrincipalSpec =
  | { readonly kind: 'wildcard'; readonly position: Position }
  | {
      readonly kind: 'map'
      /** Keys as written (`AWS`, `Federated`, `Service`, `CanonicalUser`, or anything else). */
      readonly entries: ReadonlyArray<{
        readonly type: string
        readonly values: readonly string[]
        readonly position: Position
      }>
      readonly position: Position
    }

/** One `Operator: { key: values }` pair of a Condition block. */
export interface ConditionEntry {
  /** Operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string
  /** Key as written (case preserved; matched case-insensitively). */
  readonly key: string
  /** Values as strings; JSON numbers and booleans are turned into their JSON text. */
  readonly values: readonly string[]
  /** True when a value in the policy was not a string, number or boolean. */
  readonly invalidValue: boolean
  readonly operatorPosition: Position
  readonly position: Position
}

/** An element that AWS allows as a string or an array of strings. */
export interface StringListElement {
  readonly values: readonly string[]
  /** True when the element was neither a string nor an array of strings. */
  readonly invalid: boolean
  readonly position: Position
}

export interface Statement {
  /** 0-based index in the Statement array (0 when Statement is an object). */
  readonly index: number
  readonly sid: string | undefined
  /** `Sid` when present, else `Statement[<index>]`: the name used in explanations. */
  readonly label: string
  /** As written; anything but `Allow` or `Deny` is reported by validation and never matches. */
  readonly effect: string | undefined
  readonly principal: PrincipalSpec | undefined
  readonly notPrincipal: PrincipalSpec | undefined
  readonly action: StringListElement | undefined
  readonly notAction: StringListElement | undefined
  readonly resource: StringListElement | undefined
  readonly notResource: StringListElement | undefined
  readonly conditions: readonly ConditionEntry[]
  /** Keys of the statement object that are not IAM policy elements. */
  readonly unknownKeys: readonly string[]
  readonly position: Position
}

/** A parsed policy: the typed elements, their positions and the raw text. */
export interface Policy {
  readonly text: string
  /** `Version` as written, undefined when absent. */
  readonly version: string | undefined
  readonly id: string | undefined
  /** True when `Statement` was a single object rather than an array. */
  readonly statementIsObject: boolean
  readonly statements: readonly Statement[]
  /** Top-level keys that are not `Version`, `Id` or `Statement`. */
  readonly unknownKeys: readonly string[]
  readonly duplicateKeys: readonly DuplicateKey[]
  /** Elements of the wrong JSON type (kept so lint can point at them; validation refuses them). */
  readonly problems: readonly ShapeProblem[]
}

/** An element with the wrong JSON type, e.g. `"Effect": 1` or `"Condition": []`. */
export interface ShapeProblem {
  readonly path: string
  readonly message: string
  readonly line: number
  readonly column: number
}

export type ParseResult =
  | { readonly ok: true; readonly policy: Policy; readonly duplicateKeys: readonly DuplicateKey[] }
  | { readonly ok: false; readonly error: PolicyError }

export interface ParseOptions {
  /** Refuse texts longer than this many UTF-16 code units before tokenizing. Default 131072. */
  readonly maxBytes?: number
  /** Refuse JSON nested deeper than this (objects + arrays). Default 32. */
  readonly maxDepth?: number
}

export type PolicyValidation =
  | { readonly ok: true; readonly policy: Policy }
  | {
      readonly ok: false
      readonly code: 'MalformedPolicyDocument' | 'LimitExceeded'
      readonly message: string
    }

/** A request context value: a scalar is single-valued, an array is a multi-valued key. */
export type ContextValue =
  string | number | boolean | readonly string[] | readonly number[] | readonly boolean[]

/** Who makes the request. `AWS` principals may give `accountId` so account principals match. */
export interface RequestPrincipal {
  readonly type: 'AWS' | 'Federated' | 'Service' | 'CanonicalUser'
  /** ARN, provider identity, service name or canonical id. */
  readonly id: string
  /** For `AWS` principals: the account, so `"AWS": "<account>"` or `…:root` matches. */
  readonly accountId?: string
}

/**
 * One request. Without `principal`, `Principal`/`NotPrincipal` are not checked (identity-policy
 * evaluation); without `resource`, `Resource`/`NotResource` are not checked (trust policies).
 * Context key names are matched case-insensitively.
 */
export interface EvaluationRequest {
  readonly principal?: RequestPrincipal
  readonly action: string
  readonly resource?: string
  readonly context: Readonly<Record<string, ContextValue>>
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied'

/** How one key of one condition operator fared. */
export interface ConditionExplanation {
  readonly operator: string
  readonly key: string
  /** null = the key is absent from the request context. */
  readonly requestValues: readonly string[] | null
  /** Policy values after variable substitution (unresolvable variables shown as written). */
  readonly policyValues: readonly string[]
  readonly matched: boolean
  readonly line: number
  readonly column: number
}

export interface StatementExplanation {
  /** Index of the policy in the `policies` argument. */
  readonly policyIndex: number
  readonly statement: string
  readonly sid: string | undefined
  readonly effect: string | undefined
  /** null = not checked (no principal in the request, or no Principal element). */
  readonly principalMatched: boolean | null
  readonly actionMatched: boolean
  /** null = not checked (no resource in the request). */
  readonly resourceMatched: boolean | null
  readonly conditionsMatched: boolean
  /** Principal, action, resource and every condition matched: the statement applies. */
  readonly applies: boolean
  readonly conditions: readonly ConditionExplanation[]
  readonly line: number
  readonly column: number
}

/** A condition that decided a denial, in words a person can act on. */
export interface FailingCondition {
  /** Sid, or `Statement[2]`. */
  readonly statement: string
  readonly operator: string
  readonly key: string
  /** null = the key is absent from the request context. */
  readonly requestValues: readonly string[] | null
  readonly policyValues: readonly string[]
  readonly message: string
}

export interface EvaluationResult {
  readonly decision: Decision
  readonly action: string
  readonly statements: readonly StatementExplanation[]
  /**
   * Implicit deny: the failing conditions of the Allow statement that came closest (fewest
   * failing conditions among those whose principal, action and resource matched).
   * Explicit deny: the conditions of the Deny statement that applied.
   */
  readonly failing: readonly FailingCondition[]
}

export interface SessionTag {
  readonly key: string
  readonly value: string
}

export interface WebIdentityTrustInput {
  readonly trustPolicy: Policy
  readonly roleArn: string
  readonly accountId: string
  /** `url` without scheme, e.g. `token.example.com` or `127.0.0.1:8080`: the condition-key prefix. */
  readonly provider: { readonly arn: string; readonly url: string }
  /** The decoded JWT payload. */
  readonly claims: Readonly<Record<string, unknown>>
  /**
   * The audience that matched the provider's client IDs, when the token's `aud` is an array
   * (AWS uses the matched one as `<provider>:aud`). Default: `aud`, or its first element.
   */
  readonly audience?: string
  readonly roleSessionName: string
  /** Already extracted from the token and validated by the caller. */
  readonly sessionTags: readonly SessionTag[]
  readonly transitiveTagKeys: readonly string[]
  readonly sourceIdentity?: string
  readonly requestTime: Date
  readonly sourceIp?: string
  readonly userAgent?: string
  /** `aws:SecureTransport`; absent when not given. */
  readonly secureTransport?: boolean
  /** `aws:RequestedRegion`; absent when not given. */
  readonly requestedRegion?: string
}

export interface WebIdentityTrustResult {
  readonly decision: Decision
  /** The first required action that was not allowed. */
  readonly deniedAction?: string
  readonly checks: ReadonlyArray<{ readonly action: string; readonly result: EvaluationResult }>
  readonly failing: readonly FailingCondition[]
  readonly summary: string
  /** The request context built for the evaluation, as AWS would see it. */
  readonly context: Readonly<Record<string, string | readonly string[]>>
}
