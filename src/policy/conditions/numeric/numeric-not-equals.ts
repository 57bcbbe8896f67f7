import { negated } from '../operator.js'
import { numericEquals } from './numeric-equals.js'

/** The request number equals none of the policy numbers. */
export const numericNotEquals = negated('NumericNotEquals', numericEquals)
