import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose'
import { KeylessError } from '../../shared/errors.js'

export type SigningAlg = 'RS256' | 'ES256'

export const SIGNING_ALGS: readonly SigningAlg[] = ['RS256', 'ES256']

/** A freshly generated key pair, as JWKs. */
export interface KeyMaterial {
  readonly kid: string
  readonly alg: SigningAlg
  /** Public members only, with `kid`, `alg` and `use: sig`. */
  readonly publicJwk: JWK
  /** The private JWK (never log it). */
  readonly privateJwk: JWK
}

/** Public members per key type (RFC 7638 §3.2 required members). */
const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['kty', 'n', 'e'],
  EC: ['kty', 'crv', 'x', 'y'],
}

/** The RFC 7638 JWK thumbprint (SHA-256, base64url): our `kid`. */
export function thumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256')
}

/** Only the public members of a JWK, plus `kid`, `alg`, `use`. */
export function publicJwkOf(jwk: JWK, kid: string, alg: SigningAlg): JWK {
  const members = PUBLIC_MEMBERS[jwk.kty ?? '']
  if (members === undefined)
    throw new KeylessError('internal_error', `unsupported key type ${String(jwk.kty)}`)
  const out: Record<string, unknown> = {}
  for (const m of members) out[m] = (jwk as Record<string, unknown>)[m]
  return { ...out, kid, alg, use: 'sig' }
}

/** Generates an RS256 (RSA-2048) or ES256 (P-256) key pair; `kid` is its thumbprint. */
export async function generateKeyMaterial(alg: SigningAlg): Promise<KeyMaterial> {
  const options =
    alg === 'RS256' ? { extractable: true, modulusLength: 2048 } : { extractable: true }
  const { privateKey } = await generateKeyPair(alg, options)
  const privateJwk = await exportJWK(privateKey)
  const kid = await thumbprint(privateJwk)
  return { kid, alg, publicJwk: publicJwkOf(privateJwk, kid, alg), privateJwk }
}

/** Imports a private JWK for signing (not extractable). */
export async function importSigningKey(privateJwk: JWK, alg: SigningAlg): Promise<CryptoKey> {
  const key = await importJWK(privateJwk, alg, { extractable: false })
  if (key instanceof Uint8Array)
    throw new KeylessError('internal_error', 'a signing key must be asymmetric')
  return key
}
