/**
 * The one interface every condition operator implements. An operator only compares one request
 * value with one prepared policy value; `IfExists`, `ForAllValues:`/`ForAnyValue:`, `Null`, missing
 * keys and negation over several policy values are handled once, in the evaluator.
 */
import type { Piece } from '../match/glob.js'

export interface ConditionOperator<P = unknown> {
  /** The operator's name as AWS documents it, e.g. `StringLike`. */
  readonly name: string
  /**
   * Negated operators (`StringNotEquals`, `NotIpAddress`, …) are true when the request value
   * matches none of the policy values, and true when the key is missing.
   */
  readonly isNegative: boolean
  /** Whether `${…}` in policy values is substituted (String, Arn and Bool families). */
  readonly allowsVariables: boolean
  /** Whether `*` and `?` in policy values are wildcards. */
  readonly allowsWildcards: boolean
  /**
   * Prepares one policy value (after variables were substituted) for repeated tests; undefined
   * when the value can never match (not a number, not a date, not a CIDR…).
   */
  prepare(value: readonly Piece[]): P | undefined
  /** The positive test: does this request value match this policy value? */
  test(requestValue: string, prepared: P): boolean
}

/** The negated twin of a positive operator: same preparation and test, `isNegative` set. */
export function negated<P>(name: string, positive: ConditionOperator<P>): ConditionOperator<P> {
  return { ...positive, name, isNegative: true }
}
