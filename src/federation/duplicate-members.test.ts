import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findDuplicateMember } from './duplicate-members.js'

const CASES: ReadonlyArray<readonly [string, string | undefined]> = [
  ['{"sub":"x","sub":"y"}', 'sub'],
  ['{"aud":"a","exp":1,"aud":"b"}', 'aud'],
  ['{ "exp" : 1 ,\n\t"exp":2 }', 'exp'],
  ['{"sub":"x","\\u0073ub":"y"}', 'sub'],
  ['{"a":{"b":1,"b":2}}', 'b'],
  ['{"a":[{"c":1},{"c":2,"c":3}]}', 'c'],
  ['{"a":{"b":1},"a":2}', 'a'],
  ['{"https://aws.amazon.com/tags":{"principal_tags":{"t":["1"],"t":["2"]}}}', 't'],
  ['{"sub":"x","sub":"x"}', 'sub'],
  ['{"sub":"x","Sub":"y"}', undefined],
  ['{"a":["sub","sub"]}', undefined],
  ['{"a":{"b":1},"c":{"b":2}}', undefined],
  ['{"a":"\\"sub\\":1,\\"sub\\":2"}', undefined],
  ['{"a":"}","a2":"{"}', undefined],
  ['{}', undefined],
  ['[{"a":1},{"a":1}]', undefined],
  ['{"a":[],"b":{},"c":[[{}]]}', undefined],
]

describe('findDuplicateMember', () => {
  it.each(CASES)('%s → %s', (text, duplicate) => {
    expect(() => JSON.parse(text)).not.toThrow()
    expect(findDuplicateMember(text)).toBe(duplicate)
  })

  it('finds nothing in any JSON.stringify output (names are unique there)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(findDuplicateMember(JSON.stringify(value))).toBeUndefined()
      }),
      { numRuns: 300 },
    )
  })

  it('finds a member repeated anywhere in an object', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1, maxKeys: 5 }),
        fc.string(),
        fc.jsonValue(),
        (object, name, value) => {
          const member = `${JSON.stringify(name)}:${JSON.stringify(value)}`
          const inner = `{${member},${JSON.stringify(object).slice(1, -1)},${member}}`
          expect(findDuplicateMember(inner)).toBe(name)
          expect(findDuplicateMember(`{"outer":[1,${inner}]}`)).toBe(name)
        },
      ),
      { numRuns: 200 },
    )
  })
})
