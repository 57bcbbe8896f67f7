import { describe, expect, it } from 'vitest'
import { compileGlob, compilePieces, globMatch } from './glob.js'

const cases: ReadonlyArray<readonly [string, string, boolean]> = [
  ['*', '', true],
  ['*', 'anything', true],
  ['**', 'x', true],
  ['a*', 'a', true],
  ['a*', 'ba', false],
  ['*a', 'ba', true],
  ['*a*', 'xay', true],
  ['*a*', 'xy', false],
  ['a?c', 'abc', true],
  ['a?c', 'abbc', false],
  ['?', '', false],
  ['a*b?d*e', 'aXbcdYe', true],
  ['a*b?d*e', 'aXbcYe', false],
  ['*x*y*z', 'xxyyzz', true],
  ['', '', true],
  ['', 'a', false],
]

describe('globMatch', () => {
  for (const [pattern, text, expected] of cases)
    it(`${pattern} vs ${text} → ${expected}`, () =>
      expect(globMatch(compileGlob(pattern), text)).toBe(expected))
  it('treats non-wild pieces literally', () => {
    const g = compilePieces([
      { text: 'a', wild: true },
      { text: '*', wild: false },
      { text: '?', wild: true },
    ])
    expect(globMatch(g, 'a*b')).toBe(true)
    expect(globMatch(g, 'axb')).toBe(false)
  })
  it('is linear on adversarial patterns', () => {
    const g = compileGlob(`${'*a'.repeat(30)}b`)
    expect(globMatch(g, 'a'.repeat(5000))).toBe(false)
  })
})
