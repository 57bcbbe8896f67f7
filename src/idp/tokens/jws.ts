import { KeyObject, sign } from 'node:crypto'
import type { CryptoKey } from 'jose'
import { KeylessError } from '../../shared/errors.js'
import type { SigningAlg } from '../keys/key-material.js'

/** The WebCrypto key algorithm each JWS algorithm needs. */
const KEY_ALGORITHM: Readonly<Record<SigningAlg, string>> = {
  RS256: 'RSASSA-PKCS1-v1_5',
  ES256: 'ECDSA',
}

/**
 * The node:crypto handle of each CryptoKey: node:crypto's `sign` with a callback runs on the same
 * libuv threadpool as WebCrypto, without WebCrypto's per-call algorithm normalization and promise
 * and ArrayBuffer layers (the same signature bytes: RSASSA-PKCS1-v1_5 is deterministic, and ECDSA
 * is asked for r ‖ s).
 */
const keyObjects = new WeakMap<CryptoKey, KeyObject>()
function keyObjectOf(key: CryptoKey): KeyObject {
  let found = keyObjects.get(key)
  if (found === undefined) {
    found = KeyObject.from(key)
    keyObjects.set(key, found)
  }
  return found
}

function signed(input: string, key: CryptoKey): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    sign(
      'sha256',
      Buffer.from(input, 'utf8'),
      { key: keyObjectOf(key), dsaEncoding: 'ieee-p1363' },
      (error, signature) => (error === null ? resolve(signature) : reject(error)),
    )
  })
}
/** The encoded protected header of each (alg, kid): the same for every token of a key. */
const headers = new Map<string, string>()

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url')
}

/**
 * A compact JWS of a JWT claim set (RFC 7515 §7.1) with header `{ alg, kid, typ: 'JWT' }`,
 * signed on the libuv threadpool (node:crypto), as jose's `SignJWT` does (byte for byte the same
 * token), without its per-call validation of claims we built ourselves.
 */
export async function signJwt(
  claims: Readonly<Record<string, unknown>>,
  alg: SigningAlg,
  kid: string,
  key: CryptoKey,
): Promise<string> {
  return signJwtText(JSON.stringify(claims), alg, kid, key)
}

/** `signJwt` of claims already serialized (`JSON.stringify(claims)`): the caller keeps the text. */
export async function signJwtText(
  claimsJson: string,
  alg: SigningAlg,
  kid: string,
  key: CryptoKey,
): Promise<string> {
  if (key.algorithm.name !== KEY_ALGORITHM[alg] || !key.usages.includes('sign'))
    throw new KeylessError('internal_error', `signing key ${kid} cannot sign ${alg}`)
  const headerKey = `${alg}\u0000${kid}`
  let header = headers.get(headerKey)
  if (header === undefined) {
    header = b64url(JSON.stringify({ alg, kid, typ: 'JWT' }))
    if (headers.size >= 64) headers.clear()
    headers.set(headerKey, header)
  }
  const input = `${header}.${b64url(claimsJson)}`
  const signature = await signed(input, key)
  return `${input}.${signature.toString('base64url')}`
}
