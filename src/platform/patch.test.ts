import { describe, expect, it } from 'vitest'
import { flag, patchRow } from './patch.js'

interface Row {
  readonly id: string
  readonly name: string
  readonly description: string | null
  readonly enabled: 0 | 1
}

const ROW: Row = { id: 'prj_1', name: 'payments', description: 'old', enabled: 1 }

// [changes, the row after, the columns written]
const CASES: ReadonlyArray<readonly [Partial<Record<keyof Row, unknown>>, Row, Partial<Row>]> = [
  [{}, ROW, {}],
  [{ name: 'billing' }, { ...ROW, name: 'billing' }, { name: 'billing' }],
  [{ name: undefined, description: null }, { ...ROW, description: null }, { description: null }],
  [{ enabled: flag(false) }, { ...ROW, enabled: 0 }, { enabled: 0 }],
  [{ enabled: flag(undefined) }, ROW, {}],
]

describe('patchRow', () => {
  it.each(CASES)('%o', (changes, next, set) => {
    expect(patchRow<Row>(ROW, changes as Partial<Row>)).toEqual({ next, set })
  })
})
