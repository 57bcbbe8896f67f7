import { expect, it } from 'vitest'
import { operatorTable } from '../../../../test/policy/operator-harness.js'
import { parseDate } from './date.js'
import { dateEquals } from './date-equals.js'
import { dateGreaterThan } from './date-greater-than.js'
import { dateGreaterThanEquals } from './date-greater-than-equals.js'
import { dateLessThan } from './date-less-than.js'
import { dateLessThanEquals } from './date-less-than-equals.js'
import { dateNotEquals } from './date-not-equals.js'

it('reads ISO 8601 (UTC when no offset) and epoch seconds', () => {
  expect(parseDate('2020-01-01')).toBe(Date.UTC(2020, 0, 1))
  expect(parseDate('2020-01-01T00:00:01Z')).toBe(Date.UTC(2020, 0, 1, 0, 0, 1))
  expect(parseDate('2020-01-01T00:00:01')).toBe(Date.UTC(2020, 0, 1, 0, 0, 1))
  expect(parseDate('2020-01-01T01:00:00+01:00')).toBe(Date.UTC(2020, 0, 1))
  expect(parseDate('1577836800')).toBe(Date.UTC(2020, 0, 1))
  for (const bad of ['', 'yesterday', 'January 1, 2020', '2020-13-45'])
    expect(parseDate(bad)).toBeUndefined()
})
const T = '2026-11-25T12:00:00Z'
operatorTable(dateEquals, [
  [T, T, true],
  [T, '2026-11-25T12:00:01Z', false],
])
operatorTable(dateNotEquals, [
  [T, T, false],
  [T, '2020-01-01', true],
])
operatorTable(dateLessThan, [
  [T, '2026-11-25T11:59:59Z', true],
  [T, T, false],
])
operatorTable(dateLessThanEquals, [
  [T, T, true],
  [T, '2026-11-25T12:00:01Z', false],
])
operatorTable(dateGreaterThan, [
  [T, '2026-11-25T12:00:01Z', true],
  [T, T, false],
])
operatorTable(dateGreaterThanEquals, [
  [T, T, true],
  [T, '2026-11-25T11:00:00Z', false],
])
