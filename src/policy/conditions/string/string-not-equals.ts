import { negated } from '../operator.js'
import { stringEquals } from './string-equals.js'

/** Negated exact match: the request value equals none of the policy values. */
export const stringNotEquals = negated('StringNotEquals', stringEquals)
