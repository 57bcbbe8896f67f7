import { negated } from '../operator.js'
import { arnLike } from './arn-like.js'

/** Same as ArnNotLike. */
export const arnNotEquals = negated('ArnNotEquals', arnLike)
