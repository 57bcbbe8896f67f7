/**
 * The one runner of the policy vectors (test/vectors/policy/**.json). Adding a case is adding
 * JSON: the file path is the suite name, each case names the AWS rule it checks, `skip` takes a
 * reason.
 */
import { describe, expect, it } from 'vitest'
import {
  evaluate,
  evaluateWebIdentityTrust,
  parsePolicy,
  validateIdentityPolicy,
  validateTrustPolicy,
} from '../../src/policy/index.js'
import type { FailingCondition } from '../../src/policy/index.js'
import {
  isEvaluate,
  isParse,
  isValidate,
  isWebIdentity,
  loadVectors,
  mustParse,
  webIdentityInput,
  type ExpectedFailing,
} from './vectors.js'

const files = loadVectors()

function checkFailing(
  actual: readonly FailingCondition[],
  expected: ExpectedFailing[] | undefined,
): void {
  if (expected === undefined) return
  expect(
    actual.map((f) => ({
      ...(expected.some((e) => e.statement !== undefined) ? { statement: f.statement } : {}),
      ...(expected.some((e) => e.operator !== undefined) ? { operator: f.operator } : {}),
      ...(expected.some((e) => e.key !== undefined) ? { key: f.key } : {}),
    })),
  ).toEqual(expected)
  for (const f of actual) expect(f.message.length).toBeGreaterThan(0)
}

it('has at least 400 vector cases', () => {
  expect(files.reduce((n, f) => n + f.cases.length, 0)).toBeGreaterThanOrEqual(400)
})

for (const file of files) {
  describe(`${file.path}: ${file.description}`, () => {
    for (const c of file.cases) {
      const test = c.skip === undefined ? it : it.skip
      test(`${c.name} [${c.rule}]`, () => {
        expect(c.rule.length, 'each case names the AWS rule it checks').toBeGreaterThan(0)
        if (isParse(c)) {
          const r = parsePolicy(c.parse, c.parseOptions)
          expect(r.ok).toBe(c.expected.ok)
          if (!r.ok) {
            expect(r.error.code).toBe(c.expected.errorCode)
            if (c.expected.line !== undefined) expect(r.error.line).toBe(c.expected.line)
            if (c.expected.column !== undefined) expect(r.error.column).toBe(c.expected.column)
            return
          }
          if (c.expected.duplicateKeys !== undefined)
            expect(r.duplicateKeys).toEqual(c.expected.duplicateKeys)
          if (c.expected.conditionKeys !== undefined)
            expect(r.policy.statements.flatMap((s) => s.conditions.map((x) => x.key))).toEqual(
              c.expected.conditionKeys,
            )
          if (c.expected.effect !== undefined)
            expect(r.policy.statements[0]?.effect).toBe(c.expected.effect)
        } else if (isValidate(c)) {
          const r =
            c.validate === 'trust' ? validateTrustPolicy(c.text) : validateIdentityPolicy(c.text)
          if (r.ok) expect({ ok: true }).toEqual(c.expected)
          else expect({ ok: false, code: r.code, message: r.message }).toEqual(c.expected)
        } else if (isWebIdentity(c)) {
          const r = evaluateWebIdentityTrust(webIdentityInput(c))
          expect(r.decision).toBe(c.expected.decision)
          if (c.expected.deniedAction !== undefined)
            expect(r.deniedAction).toBe(c.expected.deniedAction)
          checkFailing(r.failing, c.expected.failing)
          if (c.expected.context !== undefined) expect(r.context).toEqual(c.expected.context)
          expect(JSON.parse(JSON.stringify(r))).toEqual(r)
        } else if (isEvaluate(c)) {
          const r = evaluate(c.request, c.policies.map(mustParse))
          expect(r.decision).toBe(c.expected.decision)
          checkFailing(r.failing, c.expected.failing)
          expect(JSON.parse(JSON.stringify(r))).toEqual(r)
        } else {
          throw new Error(`unknown vector kind in ${file.path}: ${JSON.stringify(c).slice(0, 80)}`)
        }
      })
    }
  })
}
