import { negated } from '../operator.js'
import { dateEquals } from './date-equals.js'

/** The request date equals none of the policy dates. */
export const dateNotEquals = negated('DateNotEquals', dateEquals)
