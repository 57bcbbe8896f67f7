import { describe, expect, it } from 'vitest'
import { allOperators, parseOperatorName } from './index.js'

const DOCUMENTED = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
]

describe('operator registry', () => {
  it('has every operator AWS documents (Null is handled by the evaluator)', () => {
    expect(allOperators.map((o) => o.name).sort()).toEqual([...DOCUMENTED].sort())
  })
  it('marks exactly the negated operators', () => {
    expect(
      allOperators
        .filter((o) => o.isNegative)
        .map((o) => o.name)
        .sort(),
    ).toEqual(DOCUMENTED.filter((n) => n.includes('Not')).sort())
  })
  it('reads set prefixes, IfExists and Null', () => {
    expect(parseOperatorName('ForAnyValue:StringLikeIfExists')).toMatchObject({
      set: 'ForAnyValue',
      base: 'StringLike',
      ifExists: true,
      known: true,
    })
    expect(parseOperatorName('ForAllValues:StringEquals')).toMatchObject({
      set: 'ForAllValues',
      base: 'StringEquals',
      known: true,
    })
    expect(parseOperatorName('Null')).toMatchObject({ isNull: true, known: true })
    expect(parseOperatorName('NullIfExists').known).toBe(false)
    expect(parseOperatorName('ForSomeValues:StringEquals').known).toBe(false)
    expect(parseOperatorName('StringEqual').known).toBe(false)
    // IAM answers "Invalid Condition type : stringEquals": names are case-sensitive
    expect(parseOperatorName('stringEquals').known).toBe(false)
    expect(parseOperatorName('forallvalues:StringEquals').known).toBe(false)
    expect(parseOperatorName('StringEqualsifexists').known).toBe(false)
  })
})
