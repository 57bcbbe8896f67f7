import { describe, expect, it } from 'vitest'
import { backoffDelay, LISTEN_BACKOFF } from './listener.js'

describe('the listener backoff', () => {
  it.each([
    [0, 100],
    [1, 200],
    [2, 400],
    [5, 3200],
    [6, 5000],
    [1000, 5000],
  ])('waits before retry %i: %i ms', (attempt, ms) => {
    expect(backoffDelay(LISTEN_BACKOFF, attempt)).toBe(ms)
  })
})
