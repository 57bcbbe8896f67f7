import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

/**
 * A new identifier: a short type prefix and 16 random base-36 characters, e.g. `org_k3…`.
 * Prefixes make ids self-describing in logs and URLs.
 */
export function newId(prefix: string): string {
  const bytes = randomBytes(16)
  let out = ''
  for (const b of bytes) out += ALPHABET[b % 36]
  return `${prefix}_${out}`
}

/** A random secret of `bytes` bytes, base64url. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}
