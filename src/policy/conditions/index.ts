/** Every condition operator AWS documents (except `Null`, which the evaluator handles), by lower-cased name. */
import { arnEquals } from './arn/arn-equals.js'
import { arnLike } from './arn/arn-like.js'
import { arnNotEquals } from './arn/arn-not-equals.js'
import { arnNotLike } from './arn/arn-not-like.js'
import { binaryEquals } from './binary/binary-equals.js'
import { bool } from './bool/bool.js'
import { dateEquals } from './date/date-equals.js'
import { dateGreaterThan } from './date/date-greater-than.js'
import { dateGreaterThanEquals } from './date/date-greater-than-equals.js'
import { dateLessThan } from './date/date-less-than.js'
import { dateLessThanEquals } from './date/date-less-than-equals.js'
import { dateNotEquals } from './date/date-not-equals.js'
import { ipAddress } from './ip/ip-address.js'
import { notIpAddress } from './ip/not-ip-address.js'
import { numericEquals } from './numeric/numeric-equals.js'
import { numericGreaterThan } from './numeric/numeric-greater-than.js'
import { numericGreaterThanEquals } from './numeric/numeric-greater-than-equals.js'
import { numericLessThan } from './numeric/numeric-less-than.js'
import { numericLessThanEquals } from './numeric/numeric-less-than-equals.js'
import { numericNotEquals } from './numeric/numeric-not-equals.js'
import type { ConditionOperator } from './operator.js'
import { stringEquals } from './string/string-equals.js'
import { stringEqualsIgnoreCase } from './string/string-equals-ignore-case.js'
import { stringLike } from './string/string-like.js'
import { stringNotEquals } from './string/string-not-equals.js'
import { stringNotEqualsIgnoreCase } from './string/string-not-equals-ignore-case.js'
import { stringNotLike } from './string/string-not-like.js'

export type { ConditionOperator } from './operator.js'

export const allOperators: readonly ConditionOperator[] = [
  stringEquals,
  stringNotEquals,
  stringEqualsIgnoreCase,
  stringNotEqualsIgnoreCase,
  stringLike,
  stringNotLike,
  numericEquals,
  numericNotEquals,
  numericLessThan,
  numericLessThanEquals,
  numericGreaterThan,
  numericGreaterThanEquals,
  dateEquals,
  dateNotEquals,
  dateLessThan,
  dateLessThanEquals,
  dateGreaterThan,
  dateGreaterThanEquals,
  bool,
  binaryEquals,
  ipAddress,
  notIpAddress,
  arnEquals,
  arnLike,
  arnNotEquals,
  arnNotLike,
] as readonly ConditionOperator[]

const byName = new Map(allOperators.map((op) => [op.name, op]))

/**
 * The operator of that exact name, or undefined. Names are case-sensitive: IAM refuses
 * `stringEquals` with `Invalid Condition type : stringEquals`.
 */
export function operatorNamed(name: string): ConditionOperator | undefined {
  return byName.get(name)
}

/** A condition operator as written, split into set prefix, base operator and `IfExists`. */
export interface OperatorName {
  readonly set: 'ForAllValues' | 'ForAnyValue' | undefined
  /** `Null`, or the operator without prefix and `IfExists`. */
  readonly base: string
  readonly ifExists: boolean
  readonly operator: ConditionOperator | undefined
  readonly isNull: boolean
  /** False when the name is not an operator AWS knows. */
  readonly known: boolean
}

/** Reads `ForAnyValue:StringLikeIfExists` and friends. Prefixes, names and suffix are case-sensitive. */
export function parseOperatorName(written: string): OperatorName {
  let rest = written
  let set: OperatorName['set']
  const colon = rest.indexOf(':')
  if (colon >= 0) {
    const prefix = rest.slice(0, colon)
    if (prefix === 'ForAllValues') set = 'ForAllValues'
    else if (prefix === 'ForAnyValue') set = 'ForAnyValue'
    else
      return {
        set: undefined,
        base: written,
        ifExists: false,
        operator: undefined,
        isNull: false,
        known: false,
      }
    rest = rest.slice(colon + 1)
  }
  if (rest === 'Null') {
    return {
      set,
      base: 'Null',
      ifExists: false,
      operator: undefined,
      isNull: true,
      known: set === undefined,
    }
  }
  let ifExists = false
  if (rest.endsWith('IfExists')) {
    ifExists = true
    rest = rest.slice(0, -'ifexists'.length)
  }
  const operator = operatorNamed(rest)
  return {
    set,
    base: operator?.name ?? rest,
    ifExists,
    operator,
    isNull: false,
    known: operator !== undefined,
  }
}
