import { piecesText } from '../../match/variables.js'
import type { ConditionOperator } from '../operator.js'

/** Exact match after case folding (AWS folds with the Unicode lower case). */
export const stringEqualsIgnoreCase: ConditionOperator<string> = {
  name: 'StringEqualsIgnoreCase',
  isNegative: false,
  allowsVariables: true,
  allowsWildcards: false,
  prepare: (value) => piecesText(value).toLowerCase(),
  test: (requestValue, policyValue) => requestValue.toLowerCase() === policyValue,
}
