import { piecesText } from '../../match/variables.js'
import type { ConditionOperator } from '../operator.js'
import { parseDate } from './date.js'

/** The request date is less than the policy date; a value that is not a date never matches. */
export const dateLessThan: ConditionOperator<number> = {
  name: 'DateLessThan',
  isNegative: false,
  allowsVariables: false,
  allowsWildcards: false,
  prepare: (value) => parseDate(piecesText(value)),
  test: (requestValue, b) => {
    const a = parseDate(requestValue)
    return a !== undefined && a < b
  },
}
