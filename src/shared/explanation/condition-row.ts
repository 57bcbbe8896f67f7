/**
 * One condition of a trust-policy explanation, as a row of the table the console and the CLI show:
 * statement, condition key, operator, the token's value(s), the policy's value(s), met or not.
 * Pure: no I/O, shared by the runner (CLI text), the console and the trust tools.
 */
export interface ConditionRow {
  /** The action the statement was checked for (`sts:AssumeRoleWithWebIdentity`, `sts:TagSession`). */
  readonly action: string | null
  /** `Statement[0]`, or the statement's Sid when it has one. */
  readonly statement: string
  readonly key: string
  readonly operator: string
  /** null when the key is absent from the token. */
  readonly tokenValues: readonly string[] | null
  readonly policyValues: readonly string[]
  readonly met: boolean
}
