/**
 * Property tests (fast-check): parsing never throws and accepts exactly the JSON that JSON.parse
 * accepts; evaluation is total and deterministic; adding an Allow never turns Allowed into a
 * denial; adding a matching Deny always denies.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  evaluate,
  parsePolicy,
  validateIdentityPolicy,
  validateTrustPolicy,
  type EvaluationRequest,
  type Policy,
} from '../../src/policy/index.js'
import { allOperators } from '../../src/policy/conditions/index.js'

const RUNS = { numRuns: 200 }

describe('parsing', () => {
  it('never throws on arbitrary text and returns a typed result', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.json()), (text) => {
        const r = parsePolicy(text)
        expect(typeof r.ok).toBe('boolean')
        if (!r.ok)
          expect(['InvalidJson', 'TooLarge', 'TooDeep', 'InvalidShape']).toContain(r.error.code)
        for (const v of [validateTrustPolicy(text), validateIdentityPolicy(text)]) {
          expect(typeof v.ok).toBe('boolean')
          if (!v.ok) expect(['MalformedPolicyDocument', 'LimitExceeded']).toContain(v.code)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('accepts exactly the JSON texts JSON.parse accepts (shallow enough)', () => {
    const mutated = fc
      .tuple(
        fc.json({ maxDepth: 4 }),
        fc.nat(),
        fc.constantFrom('', ',', '}', ']', '"', ':', '\\', 'x', ' '),
      )
      .map(([t, at, ch]) => {
        const i = t.length === 0 ? 0 : at % t.length
        return t.slice(0, i) + ch + t.slice(i + 1)
      })
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 4 }), mutated), (text) => {
        let jsonOk = true
        let value: unknown
        try {
          value = JSON.parse(text)
        } catch {
          jsonOk = false
        }
        const r = parsePolicy(text)
        const isObject =
          jsonOk && typeof value === 'object' && value !== null && !Array.isArray(value)
        if (!jsonOk) expect(r.ok ? 'ok' : r.error.code).toBe('InvalidJson')
        else if (!isObject) expect(r.ok ? 'ok' : r.error.code).toBe('InvalidShape')
        else expect(r.ok).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })

  it('refuses deep nesting early, without a stack overflow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 33, max: 100_000 }), (depth) => {
        const r = parsePolicy(`{"a":${'['.repeat(depth)}`, { maxBytes: 1_000_000 })
        expect(r.ok ? 'ok' : r.error.code).toBe('TooDeep')
      }),
      { numRuns: 50 },
    )
  })
})

// ---------------------------------------------------------------- arbitrary policies and requests
const KEYS = [
  'aws:PrincipalTag/team',
  'aws:SourceIp',
  'aws:CurrentTime',
  'aws:TagKeys',
  'idp:sub',
  'AWS:principaltag/TEAM',
]
const VALUES = [
  'dev',
  'd*',
  '*',
  '?ev',
  '',
  '10.0.0.0/8',
  '10.1.2.3',
  '2020-01-01T00:00:00Z',
  '42',
  'true',
  '${aws:PrincipalTag/team}',
  "${x:y, 'dev'}",
  '${*}',
  'AAEC',
  'arn:aws:s3:::b/*',
]
const ACTIONS = [
  's3:GetObject',
  's3:*',
  '*',
  's3:Get?bject',
  'ec2:*',
  'S3:getobject',
  'sts:AssumeRoleWithWebIdentity',
]
const RESOURCES = [
  '*',
  'arn:aws:s3:::b/*',
  'arn:aws:s3:::b/k',
  'arn:aws:s3:::other/*',
  'arn:aws:s3:::${aws:PrincipalTag/team}/*',
]
const FED = 'arn:aws:iam::111122223333:oidc-provider/idp'
const operatorNames = [...allOperators.map((o) => o.name), 'Null', 'StringEqual']
const operator = fc
  .tuple(
    fc.constantFrom('', 'ForAllValues:', 'ForAnyValue:'),
    fc.constantFrom(...operatorNames),
    fc.boolean(),
  )
  .map(([set, op, ifExists]) => `${set}${op}${ifExists && op !== 'Null' ? 'IfExists' : ''}`)
const condition = fc.dictionary(
  operator,
  fc.dictionary(
    fc.constantFrom(...KEYS),
    fc.oneof(fc.constantFrom(...VALUES), fc.array(fc.constantFrom(...VALUES), { maxLength: 3 })),
    { maxKeys: 2 },
  ),
  { maxKeys: 2 },
)
const statement = fc.record(
  {
    Effect: fc.constantFrom('Allow', 'Deny'),
    Principal: fc.constantFrom('*', { Federated: FED }, { AWS: '111122223333' }),
    Action: fc.oneof(
      fc.constantFrom(...ACTIONS),
      fc.array(fc.constantFrom(...ACTIONS), { maxLength: 3 }),
    ),
    NotAction: fc.constantFrom(...ACTIONS),
    Resource: fc.oneof(
      fc.constantFrom(...RESOURCES),
      fc.array(fc.constantFrom(...RESOURCES), { maxLength: 2 }),
    ),
    Condition: condition,
  },
  { requiredKeys: ['Effect'] },
)
const policyJson = fc.record({
  Version: fc.constantFrom('2012-10-17', '2008-10-17'),
  Statement: fc.array(statement, { maxLength: 4 }),
})
const contextValue = fc.oneof(
  fc.constantFrom(...VALUES),
  fc.array(fc.constantFrom(...VALUES), { maxLength: 3 }),
)
const request = fc.record({
  principal: fc.option(
    fc.constantFrom(
      { type: 'Federated' as const, id: FED },
      { type: 'AWS' as const, id: 'arn:aws:iam::111122223333:role/R', accountId: '111122223333' },
    ),
    { nil: undefined },
  ),
  action: fc.constantFrom('s3:GetObject', 'ec2:RunInstances', 'sts:AssumeRoleWithWebIdentity'),
  resource: fc.option(fc.constantFrom('arn:aws:s3:::b/k', 'arn:aws:s3:::dev/x'), {
    nil: undefined,
  }),
  context: fc.dictionary(fc.constantFrom(...KEYS), contextValue, { maxKeys: 4 }),
})

function policyOf(json: unknown): Policy {
  const r = parsePolicy(JSON.stringify(json))
  if (!r.ok) throw new Error(r.error.message)
  return r.policy
}

function clean(r: unknown): EvaluationRequest {
  return JSON.parse(JSON.stringify(r)) as EvaluationRequest
}

describe('evaluation', () => {
  it('is total and deterministic', () => {
    fc.assert(
      fc.property(fc.array(policyJson, { maxLength: 3 }), request, (policies, req) => {
        const r = clean(req)
        const first = evaluate(r, policies.map(policyOf))
        const again = evaluate(clean(req), policies.map(policyOf))
        expect(['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied']).toContain(first.decision)
        expect(again).toEqual(first)
        expect(JSON.parse(JSON.stringify(first))).toEqual(first)
      }),
      RUNS,
    )
  })

  it('adding an Allow never turns Allowed into a denial', () => {
    const allowAll = { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }
    fc.assert(
      fc.property(policyJson, statement, request, fc.boolean(), (generated, extra, req, seed) => {
        // Half the runs start from a policy that allows everything unless a Deny applies.
        const policy = seed
          ? { ...generated, Statement: [allowAll, ...generated.Statement] }
          : generated
        const r = clean(req)
        if (evaluate(r, [policyOf(policy)]).decision !== 'Allowed') return
        const more = { ...policy, Statement: [...policy.Statement, { ...extra, Effect: 'Allow' }] }
        expect(evaluate(r, [policyOf(more)]).decision).toBe('Allowed')
      }),
      RUNS,
    )
  })

  it('adding a matching Deny always denies', () => {
    fc.assert(
      fc.property(policyJson, request, fc.boolean(), (policy, req, asNewPolicy) => {
        const r = clean(req)
        const deny = { Effect: 'Deny', Principal: '*', Action: r.action, Resource: '*' }
        const policies = asNewPolicy
          ? [policyOf(policy), policyOf({ Version: '2012-10-17', Statement: [deny] })]
          : [policyOf({ ...policy, Statement: [...policy.Statement, deny] })]
        expect(evaluate(r, policies).decision).toBe('ExplicitlyDenied')
      }),
      RUNS,
    )
  })
})
