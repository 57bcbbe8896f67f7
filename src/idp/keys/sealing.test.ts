import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { seal, sealingKey, unseal } from './sealing.js'

describe('sealing private keys (AES-256-GCM under the master key)', () => {
  const master = randomBytes(32)
  const key = sealingKey(master)
  const secret = JSON.stringify({ kty: 'RSA', d: 'private-exponent' })

  it('round-trips, with a fresh IV each time and nothing of the plaintext visible', () => {
    const a = seal(key, 'kid-1', secret)
    const b = seal(key, 'kid-1', secret)
    expect(a).not.toBe(b)
    expect(a).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/u)
    expect(a).not.toContain('private-exponent')
    expect(unseal(key, 'kid-1', a)).toBe(secret)
    expect(unseal(sealingKey(Buffer.from(master)), 'kid-1', b)).toBe(secret)
  })

  it('does not open under another master key', () => {
    const sealed = seal(key, 'kid-1', secret)
    expect(unseal(sealingKey(randomBytes(32)), 'kid-1', sealed)).toBeUndefined()
  })

  it('does not open under another kid (the kid is authenticated data)', () => {
    expect(unseal(key, 'kid-2', seal(key, 'kid-1', secret))).toBeUndefined()
  })

  it('does not open when tampered with or malformed', () => {
    const sealed = seal(key, 'kid-1', secret)
    const parts = sealed.split('.')
    const ct = Buffer.from(parts[3] ?? '', 'base64url')
    ct[0] = (ct[0] ?? 0) ^ 1
    const tampered = [parts[0], parts[1], parts[2], ct.toString('base64url')].join('.')
    expect(unseal(key, 'kid-1', tampered)).toBeUndefined()
    expect(unseal(key, 'kid-1', 'v2' + sealed.slice(2))).toBeUndefined()
    expect(unseal(key, 'kid-1', 'garbage')).toBeUndefined()
  })

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => sealingKey(randomBytes(16))).toThrow(/32 bytes/)
  })
})
