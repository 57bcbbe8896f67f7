import { webcrypto } from 'node:crypto'
import type { CryptoKey } from 'jose'
import { KeylessError } from '../../shared/errors.js'
import type { SigningAlg } from '../keys/key-material.js'

/** WebCrypto parameters of each JWS algorithm, and the key algorithm it needs. */
const PARAMS: Readonly<
  Record<
    SigningAlg,
    { readonly key: string; readonly sign: webcrypto.AlgorithmIdentifier | webcrypto.EcdsaParams }
  >
> = {
  RS256: { key: 'RSASSA-PKCS1-v1_5', sign: { name: 'RSASSA-PKCS1-v1_5' } },
  // WebCrypto returns the ECDSA signature as r ‖ s, the JWS form (RFC 7518 §3.4).
  ES256: { key: 'ECDSA', sign: { name: 'ECDSA', hash: 'SHA-256' } },
}

const encoder = new TextEncoder()
/** The encoded protected header of each (alg, kid): the same for every token of a key. */
const headers = new Map<string, string>()

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url')
}

/**
 * A compact JWS of a JWT claim set (RFC 7515 §7.1) with header `{ alg, kid, typ: 'JWT' }`,
 * signed by WebCrypto on the libuv threadpool, as jose's `SignJWT` does (byte for byte the same
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
  const params = PARAMS[alg]
  if (key.algorithm.name !== params.key || !key.usages.includes('sign'))
    throw new KeylessError('internal_error', `signing key ${kid} cannot sign ${alg}`)
  const headerKey = `${alg}\u0000${kid}`
  let header = headers.get(headerKey)
  if (header === undefined) {
    header = b64url(JSON.stringify({ alg, kid, typ: 'JWT' }))
    if (headers.size >= 64) headers.clear()
    headers.set(headerKey, header)
  }
  const input = `${header}.${b64url(claimsJson)}`
  const signature = await webcrypto.subtle.sign(params.sign, key, encoder.encode(input))
  return `${input}.${Buffer.from(signature).toString('base64url')}`
}
