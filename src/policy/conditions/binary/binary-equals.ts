import { piecesText } from '../../match/variables.js'
import type { ConditionOperator } from '../operator.js'

/** Byte-for-byte match of base64 values (request values are base64 too). */
export const binaryEquals: ConditionOperator<string> = {
  name: 'BinaryEquals',
  isNegative: false,
  allowsVariables: false,
  allowsWildcards: false,
  prepare: (value) => decodeBase64(piecesText(value)),
  test: (requestValue, bytes) => decodeBase64(requestValue) === bytes,
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/u

/** The decoded bytes as a binary string, or undefined when the text is not base64. */
export function decodeBase64(text: string): string | undefined {
  if (!BASE64.test(text)) return undefined
  return atob(text)
}
