import { negated } from '../operator.js'
import { arnLike } from './arn-like.js'

/** The request ARN matches none of the patterns. */
export const arnNotLike = negated('ArnNotLike', arnLike)
