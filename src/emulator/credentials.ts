/**
 * Realistic identifiers: access keys, secrets, session tokens, role ids (docs/aws-behaviour.md §8).
 */
import { randomBytes } from 'node:crypto'

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** Random bytes drawn from a pooled buffer: one CSPRNG call per 64 KiB, not per identifier. */
let pool = Buffer.alloc(0)
let offset = 0
function random(count: number): Buffer {
  if (offset + count > pool.length) {
    pool = randomBytes(Math.max(65536, count))
    offset = 0
  }
  const out = pool.subarray(offset, offset + count)
  offset += count
  return out
}

const BASE32_CODES = Buffer.from(BASE32, 'latin1')

function base32(count: number): string {
  const bytes = random(count)
  const out = Buffer.allocUnsafe(count)
  for (let i = 0; i < count; i += 1) out[i] = BASE32_CODES[(bytes[i] as number) & 31] as number
  return out.toString('latin1')
}

/** `ASIA` + 16 characters of A-Z2-7. */
export function newSessionAccessKeyId(): string {
  return `ASIA${base32(16)}`
}

/** 40 characters of the base64 alphabet. */
export function newSecretAccessKey(): string {
  return random(30).toString('base64')
}

/** Opaque base64, shaped like a regional STS token. */
export function newSessionToken(): string {
  return `IQoJb3JpZ2luX2VjE${random(312).toString('base64')}`
}

/** `AROA` + 17 characters (21 in all). */
export function newRoleId(): string {
  return `AROA${base32(17)}`
}
