import { describe, expect, it } from 'vitest'
import {
  keyState,
  publishedKeysAt,
  scheduleKeys,
  signingKeyAt,
  type KeyRecord,
} from './lifecycle.js'

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0)
const at = (seconds: number): Date => new Date(T0 + seconds * 1000)
const key = (kid: string, created: number, activates: number): KeyRecord => ({
  kid,
  alg: 'RS256',
  createdAt: at(created),
  activatesAt: at(activates),
})
const TTL = 600
const PREPUBLISH = 3600

describe('key lifecycle', () => {
  // k1 is the first key (active at once); k2 is rotated in at +100 s with a 1 h window.
  const keys = scheduleKeys([key('k2', 100, 100 + PREPUBLISH), key('k1', 0, 0)], TTL)

  it('orders keys and derives supersession and unpublication', () => {
    expect(keys.map((k) => k.kid)).toEqual(['k1', 'k2'])
    expect(keys[0]?.supersededAt).toEqual(at(100 + PREPUBLISH))
    expect(keys[0]?.unpublishAt).toEqual(at(100 + PREPUBLISH + TTL))
    expect(keys[1]?.supersededAt).toBeNull()
    expect(keys[1]?.unpublishAt).toBeNull()
  })

  it.each([
    // [seconds, k1 state, k2 state, signer, published]
    [0, 'active', undefined, 'k1', ['k1']],
    [99, 'active', undefined, 'k1', ['k1']],
    [100, 'active', 'pending', 'k1', ['k1', 'k2']],
    [100 + PREPUBLISH - 1, 'active', 'pending', 'k1', ['k1', 'k2']],
    [100 + PREPUBLISH, 'retiring', 'active', 'k2', ['k1', 'k2']],
    [100 + PREPUBLISH + TTL - 1, 'retiring', 'active', 'k2', ['k1', 'k2']],
    [100 + PREPUBLISH + TTL, 'retired', 'active', 'k2', ['k2']],
  ] as const)('at +%is: k1 %s, k2 %s, %s signs, JWKS %j', (s, k1, k2, signer, jwks) => {
    // Before k2 exists, the schedule has only k1.
    const visible = s < 100 ? scheduleKeys([key('k1', 0, 0)], TTL) : keys
    expect(keyState(visible[0]!, at(s))).toBe(k1)
    if (k2 !== undefined) expect(keyState(visible[1]!, at(s))).toBe(k2)
    expect(signingKeyAt(visible, at(s))?.kid).toBe(signer)
    expect(publishedKeysAt(visible, at(s)).map((k) => k.kid)).toEqual(jwks)
  })

  it('a key superseded before it ever signed goes straight from pending to retiring', () => {
    // Two rotations inside one window: k2 activates at +3600, k3 at +3601 (k2 signs for 1 s).
    const three = scheduleKeys([key('k1', 0, 0), key('k2', 0, 3600), key('k3', 1, 3601)], TTL)
    expect(signingKeyAt(three, at(3600))?.kid).toBe('k2')
    expect(signingKeyAt(three, at(3601))?.kid).toBe('k3')
    expect(three.map((k) => keyState(k, at(3601)))).toEqual(['retiring', 'retiring', 'active'])
    // Same activation time: the order (creation, then kid) decides, identically on every replica.
    const tie = scheduleKeys([key('kb', 5, 3600), key('ka', 5, 3600), key('k1', 0, 0)], TTL)
    expect(tie.map((k) => k.kid)).toEqual(['k1', 'ka', 'kb'])
    expect(keyState(tie[1]!, at(3599))).toBe('pending')
    expect(keyState(tie[1]!, at(3600))).toBe('retiring')
    expect(signingKeyAt(tie, at(3600))?.kid).toBe('kb')
  })

  it('no key signs before the first one activates', () => {
    expect(signingKeyAt(scheduleKeys([key('k1', 0, 10)], TTL), at(9))).toBeUndefined()
  })
})
