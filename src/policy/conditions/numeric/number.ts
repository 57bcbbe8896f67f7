/** Numbers as IAM reads them: an optional sign, digits, an optional fraction. Nothing else. */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/u

export function parseNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined
}
