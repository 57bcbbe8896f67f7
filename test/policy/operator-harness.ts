/**
 * The shared harness of the operator tables next to each condition operator: a case is the
 * policy value(s), one request value and whether the operator matches (negated operators: the
 * request value matches none of the policy values).
 */
import { describe, expect, it } from 'vitest'
import type { ConditionOperator } from '../../src/policy/conditions/operator.js'

export type OperatorCase = readonly [
  policy: string | readonly string[],
  request: string,
  expected: boolean,
]

export function matches(
  op: ConditionOperator,
  policy: string | readonly string[],
  request: string,
): boolean {
  const values = typeof policy === 'string' ? [policy] : policy
  const prepared = values.map((v) => op.prepare([{ text: v, wild: true }]))
  const any = prepared.some((p) => p !== undefined && op.test(request, p))
  return op.isNegative ? prepared.every((p) => p !== undefined) && !any : any
}

export function operatorTable(op: ConditionOperator, cases: readonly OperatorCase[]): void {
  describe(op.name, () => {
    for (const [policy, request, expected] of cases) {
      it(`${JSON.stringify(policy)} vs ${JSON.stringify(request)} → ${expected}`, () => {
        expect(matches(op, policy, request)).toBe(expected)
      })
    }
  })
}
