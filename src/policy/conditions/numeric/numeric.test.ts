import { operatorTable } from '../../../../test/policy/operator-harness.js'
import { parseNumber } from './number.js'
import { numericEquals } from './numeric-equals.js'
import { numericGreaterThan } from './numeric-greater-than.js'
import { numericGreaterThanEquals } from './numeric-greater-than-equals.js'
import { numericLessThan } from './numeric-less-than.js'
import { numericLessThanEquals } from './numeric-less-than-equals.js'
import { numericNotEquals } from './numeric-not-equals.js'
import { expect, it } from 'vitest'

it('reads integers and decimals only', () => {
  expect(parseNumber('10')).toBe(10)
  expect(parseNumber('-1.5')).toBe(-1.5)
  expect(parseNumber('.5')).toBe(0.5)
  for (const bad of ['', 'abc', '1e3', '0x10', '1 ', 'Infinity', 'NaN'])
    expect(parseNumber(bad)).toBeUndefined()
})
operatorTable(numericEquals, [
  ['10', '10.0', true],
  ['10', '11', false],
  ['x', '10', false],
  ['10', 'x', false],
])
operatorTable(numericNotEquals, [
  ['10', '10', false],
  ['10', '11', true],
  ['x', '11', false],
])
operatorTable(numericLessThan, [
  ['10', '9', true],
  ['10', '10', false],
])
operatorTable(numericLessThanEquals, [
  ['10', '10', true],
  ['10', '11', false],
])
operatorTable(numericGreaterThan, [
  ['10', '11', true],
  ['10', '10', false],
])
operatorTable(numericGreaterThanEquals, [
  ['10', '10', true],
  ['10', '9', false],
])
