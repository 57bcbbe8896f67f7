import type { ConditionOperator } from '../operator.js'
import { arnMatches, compileArnPattern, type ArnPattern } from './arn-pattern.js'

/** ARN match with wildcards per colon-separated part (case-sensitive). */
export const arnLike: ConditionOperator<ArnPattern> = {
  name: 'ArnLike',
  isNegative: false,
  allowsVariables: true,
  allowsWildcards: true,
  prepare: (value) => compileArnPattern(value),
  test: (requestValue, pattern) => arnMatches(pattern, requestValue),
}
