import { piecesText } from '../../match/variables.js'
import type { ConditionOperator } from '../operator.js'

/** Boolean match: `true`/`false`, compared case-insensitively; JSON booleans are accepted. */
export const bool: ConditionOperator<string> = {
  name: 'Bool',
  isNegative: false,
  allowsVariables: true,
  allowsWildcards: false,
  prepare: (value) => {
    const text = piecesText(value).toLowerCase()
    return text === 'true' || text === 'false' ? text : undefined
  },
  test: (requestValue, policyValue) => requestValue.toLowerCase() === policyValue,
}
