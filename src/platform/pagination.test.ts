import { describe, expect, it } from 'vitest'
import { ManualClock } from '../shared/clock.js'
import { sortableId } from './context.js'
import { decodeCursor, encodeCursor, toPage } from './pagination.js'

describe('cursors', () => {
  it('round-trip a position and refuse anything else', () => {
    const position = { createdAt: '2026-11-25T12:00:00.000Z', id: 'prj_1' }
    expect(decodeCursor(encodeCursor(position))).toEqual(position)
    expect(decodeCursor(undefined)).toBeUndefined()
    for (const bad of [
      'x',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'),
    ])
      expect(() => decodeCursor(bad)).toThrow(/cursor/)
  })

  it('builds a page from limit + 1 rows', () => {
    const rows = [1, 2, 3].map((i) => ({ id: `x${i}`, created_at: `t${i}` }))
    expect(toPage(rows, 2, (r) => r.id)).toEqual({
      items: ['x1', 'x2'],
      nextCursor: encodeCursor({ createdAt: 't2', id: 'x2' }),
    })
    expect(toPage(rows, 3, (r) => r.id).nextCursor).toBeNull()
  })
})

describe('sortableId', () => {
  it('sorts by creation even under a frozen clock', () => {
    const clock = new ManualClock()
    const ids = Array.from({ length: 50 }, () => sortableId('dep', clock))
    expect([...ids].sort()).toEqual(ids)
    clock.advance(1)
    expect(sortableId('dep', clock) > (ids.at(-1) ?? '')).toBe(true)
    expect(ids[0]).toMatch(/^dep_[0-9a-z]{21}$/)
  })
})
