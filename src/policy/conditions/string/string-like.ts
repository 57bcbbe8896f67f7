import { compilePieces, globMatch, type Glob } from '../../match/glob.js'
import type { ConditionOperator } from '../operator.js'

/** Case-sensitive glob: `*` any run (empty, `/` and `:` included), `?` exactly one character. */
export const stringLike: ConditionOperator<Glob> = {
  name: 'StringLike',
  isNegative: false,
  allowsVariables: true,
  allowsWildcards: true,
  prepare: (value) => compilePieces(value),
  test: (requestValue, glob) => globMatch(glob, requestValue),
}
