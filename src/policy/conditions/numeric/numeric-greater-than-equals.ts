import { piecesText } from '../../match/variables.js'
import type { ConditionOperator } from '../operator.js'
import { parseNumber } from './number.js'

/** The request number is greater than or equal to the policy number; a value that is not a number never matches. */
export const numericGreaterThanEquals: ConditionOperator<number> = {
  name: 'NumericGreaterThanEquals',
  isNegative: false,
  allowsVariables: false,
  allowsWildcards: false,
  prepare: (value) => parseNumber(piecesText(value)),
  test: (requestValue, b) => {
    const a = parseNumber(requestValue)
    return a !== undefined && a >= b
  },
}
