import { negated } from '../operator.js'
import { stringLike } from './string-like.js'

/** Negated glob: the request value matches none of the patterns. */
export const stringNotLike = negated('StringNotLike', stringLike)
