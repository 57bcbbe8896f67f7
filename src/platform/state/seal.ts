import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { brotliCompress, brotliDecompress, constants } from 'node:zlib'
import { KeylessError } from '../../shared/errors.js'

/**
 * State at rest: compressed with brotli (JSON shrinks about tenfold), then sealed with
 * AES-256-GCM under a key derived from the master key with HKDF-SHA-256 and the label `state`.
 * The additional data names the environment and the serial, so a sealed version copied onto
 * another row does not open.
 *
 * Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
const VERSION = 'v1'
const LABEL = 'state'
const compress = promisify(brotliCompress)
const decompress = promisify(brotliDecompress)

/** Quality 4 of 11: within a few percent of the best ratio on JSON at a fraction of the CPU. */
const BROTLI = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_MODE]: 1 },
}

export function stateKey(masterKey: Buffer): Buffer {
  if (masterKey.length !== 32)
    throw new KeylessError('config_invalid', 'the master key must be 32 bytes')
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), LABEL, 32))
}

export function sealAad(environmentId: string, serial: number): Buffer {
  return Buffer.from(`${environmentId}/${serial}`, 'utf8')
}

export async function sealState(key: Buffer, aad: Buffer, plaintext: Buffer): Promise<string> {
  const packed = await compress(plaintext, {
    ...BROTLI,
    params: { ...BROTLI.params, [constants.BROTLI_PARAM_SIZE_HINT]: plaintext.length },
  })
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(aad)
  const ciphertext = Buffer.concat([cipher.update(packed), cipher.final()])
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.')
}

/** Opens a sealed version; a version that does not open is an internal error (never shown). */
export async function openState(key: Buffer, aad: Buffer, sealed: string): Promise<Buffer> {
  const parts = sealed.split('.')
  const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'))
  if (parts[0] !== VERSION || iv?.length !== 12 || tag?.length !== 16 || ciphertext === undefined)
    throw new KeylessError('internal_error', 'a stored state version is not in a known format')
  let packed: Buffer
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv)
    decipher.setAAD(aad)
    decipher.setAuthTag(tag)
    packed = Buffer.concat([decipher.update(ciphertext), decipher.final()])
  } catch (error) {
    throw new KeylessError(
      'internal_error',
      'a stored state version does not open with this master key',
      undefined,
      { cause: error },
    )
  }
  return decompress(packed)
}
