import { piecesText } from '../../match/variables.js'
import type { ConditionOperator } from '../operator.js'

/** Exact, case-sensitive string match; `*` and `?` are literal characters. */
export const stringEquals: ConditionOperator<string> = {
  name: 'StringEquals',
  isNegative: false,
  allowsVariables: true,
  allowsWildcards: false,
  prepare: (value) => piecesText(value),
  test: (requestValue, policyValue) => requestValue === policyValue,
}
