import { operatorTable } from '../../../../test/policy/operator-harness.js'
import { stringEquals } from './string-equals.js'
import { stringEqualsIgnoreCase } from './string-equals-ignore-case.js'
import { stringLike } from './string-like.js'
import { stringNotEquals } from './string-not-equals.js'
import { stringNotEqualsIgnoreCase } from './string-not-equals-ignore-case.js'
import { stringNotLike } from './string-not-like.js'

operatorTable(stringEquals, [
  ['a', 'a', true],
  ['a', 'A', false],
  ['a*', 'ab', false],
  ['a*', 'a*', true],
  [['x', 'a'], 'a', true],
  ['', '', true],
])
operatorTable(stringNotEquals, [
  ['a', 'a', false],
  ['a', 'b', true],
  [['a', 'b'], 'b', false],
])
operatorTable(stringEqualsIgnoreCase, [
  ['ABC', 'abc', true],
  ['abc', 'abd', false],
])
operatorTable(stringNotEqualsIgnoreCase, [
  ['ABC', 'abc', false],
  ['abc', 'abd', true],
])
operatorTable(stringLike, [
  ['*', '', true],
  ['a*', 'a', true],
  ['*b', 'ab', true],
  ['*b*', 'abc', true],
  ['a?c', 'abc', true],
  ['a?c', 'ac', false],
  ['a*b*c', 'axxbyyc', true],
  ['a*b*c', 'axxcyyb', false],
  ['A*', 'a', false],
  ['repo:o/*', 'repo:o/x:ref:y', true],
])
operatorTable(stringNotLike, [
  ['a*', 'abc', false],
  ['a*', 'bcd', true],
  [['x*', 'a*'], 'abc', false],
])
