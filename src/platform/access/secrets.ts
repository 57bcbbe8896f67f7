import { createHash } from 'node:crypto'

/**
 * Secrets are stored as SHA-256 hashes. A key is 256 random bits, so a fast hash is enough: no
 * dictionary or brute-force search can find a preimage, and a slow password hash (bcrypt,
 * argon2) would only cost time on every request. Lookup is by hash (unique index).
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

export const API_KEY_PREFIX = 'kl_'
/** Id of the bootstrap owner key (docs/architecture.md §9). */
export const OWNER_KEY_ID = 'key_owner'
export const AGENT_TOKEN_PREFIX = 'kla_'
