import { negated } from '../operator.js'
import { stringEqualsIgnoreCase } from './string-equals-ignore-case.js'

/** Negated case-insensitive match. */
export const stringNotEqualsIgnoreCase = negated(
  'StringNotEqualsIgnoreCase',
  stringEqualsIgnoreCase,
)
