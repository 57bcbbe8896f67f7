import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { KeylessError } from '../../shared/errors.js'

/**
 * Private signing keys at rest: AES-256-GCM with a random 96-bit IV and the key id as additional
 * authenticated data (a sealed key copied onto another row does not open). The AES key is derived
 * from the master key with HKDF-SHA-256, so the master key itself never encrypts anything and can
 * seal other things later under other labels.
 *
 * Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
const VERSION = 'v1'
const INFO = 'keyless/signing-keys/v1'

export function sealingKey(masterKey: Buffer): Buffer {
  if (masterKey.length !== 32)
    throw new KeylessError('config_invalid', 'the master key must be 32 bytes')
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), INFO, 32))
}

export function seal(key: Buffer, kid: string, plaintext: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(kid, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  const tag = cipher.getAuthTag()
  return [VERSION, iv, tag, ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.')
}

/** Opens a sealed key; undefined when it does not open (wrong master key, wrong kid, tampered). */
export function unseal(key: Buffer, kid: string, sealed: string): string | undefined {
  const parts = sealed.split('.')
  if (parts.length !== 4 || parts[0] !== VERSION) return undefined
  const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'))
  if (iv?.length !== 12 || tag?.length !== 16 || ciphertext === undefined) return undefined
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv)
    decipher.setAAD(Buffer.from(kid, 'utf8'))
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
  } catch {
    return undefined
  }
}
