import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

/**
 * A new identifier: a short type prefix and 16 random base-36 characters, e.g. `org_k3…`.
 * Prefixes make ids self-describing in logs and URLs.
 */
export function newId(prefix: string): string {
  const bytes = pooledRandom(16)
  let out = ''
  for (const b of bytes) out += ALPHABET[b % 36]
  return `${prefix}_${out}`
}

/** Random bytes for ids, drawn from a pooled buffer: one CSPRNG call per 4 KiB, not per id. */
let pool = Buffer.alloc(0)
let offset = 0
function pooledRandom(count: number): Buffer {
  if (offset + count > pool.length) {
    pool = randomBytes(4096)
    offset = 0
  }
  const out = pool.subarray(offset, offset + count)
  offset += count
  return out
}

/** A random secret of `bytes` bytes, base64url. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}
