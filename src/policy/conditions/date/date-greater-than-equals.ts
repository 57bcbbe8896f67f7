import { piecesText } from '../../match/variables.js'
import type { ConditionOperator } from '../operator.js'
import { parseDate } from './date.js'

/** The request date is greater than or equal to the policy date; a value that is not a date never matches. */
export const dateGreaterThanEquals: ConditionOperator<number> = {
  name: 'DateGreaterThanEquals',
  isNegative: false,
  allowsVariables: false,
  allowsWildcards: false,
  prepare: (value) => parseDate(piecesText(value)),
  test: (requestValue, b) => {
    const a = parseDate(requestValue)
    return a !== undefined && a >= b
  },
}
