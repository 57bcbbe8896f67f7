import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { ownCopy } from './own-copy.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const BODIES = 40
const BODY_CHARS = 1 << 20

/** Heap bytes still held after keeping one 20-character piece of each of 40 one-MiB strings. */
function heldByPieces(keep: (piece: string) => string): { held: number; pieces: string[] } {
  gc()
  const before = process.memoryUsage().heapUsed
  const pieces: string[] = []
  for (let i = 0; i < BODIES; i += 1) {
    const body = `${String(i).padStart(4, '0')}RoleSessionName=${'x'.repeat(BODY_CHARS)}`
    pieces.push(keep(body.slice(4, 24)))
  }
  gc()
  return { held: process.memoryUsage().heapUsed - before, pieces }
}

describe('ownCopy', () => {
  it('keeps the text and lets the string it was cut from go', () => {
    const views = heldByPieces((piece) => piece)
    const copies = heldByPieces(ownCopy)
    expect(copies.pieces).toEqual(views.pieces)
    expect(copies.pieces[0]).toBe('RoleSessionName=xxxx')
    // The views hold every body (40 MiB); the copies a small part of one at most (heap noise).
    expect(views.held).toBeGreaterThan((BODIES * BODY_CHARS) / 2)
    expect(copies.held).toBeLessThan(views.held / 10)
  })

  it('returns short text as it is', () => expect(ownCopy('bench')).toBe('bench'))
})
