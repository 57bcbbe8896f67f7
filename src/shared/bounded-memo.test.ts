import { describe, expect, it } from 'vitest'
import { boundedMemo } from './bounded-memo.js'

describe('boundedMemo', () => {
  it('computes each key once while it is kept', () => {
    const seen: string[] = []
    const upper = boundedMemo(4, (k) => {
      seen.push(k)
      return { text: k.toUpperCase() }
    })
    const first = upper('a')
    expect(upper('a')).toBe(first)
    expect(upper('b').text).toBe('B')
    expect(seen).toEqual(['a', 'b'])
  })

  it('keeps at most max answers, then starts over', () => {
    let computed = 0
    const memo = boundedMemo(3, (k) => {
      computed += 1
      return k.length
    })
    for (const k of ['a', 'bb', 'ccc']) memo(k)
    expect(computed).toBe(3)
    memo('dddd') // a fourth key: the three kept ones are dropped
    memo('a')
    expect(computed).toBe(5)
    memo('dddd')
    expect(computed).toBe(5)
  })
})
