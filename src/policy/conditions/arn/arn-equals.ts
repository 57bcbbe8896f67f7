import type { ConditionOperator } from '../operator.js'
import type { ArnPattern } from './arn-pattern.js'
import { arnLike } from './arn-like.js'

/** Behaves exactly as ArnLike (AWS documents the two as identical, wildcards included). */
export const arnEquals: ConditionOperator<ArnPattern> = { ...arnLike, name: 'ArnEquals' }
