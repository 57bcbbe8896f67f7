import type { SigningAlg } from './keys/key-material.js'
import type { OpenIdConfiguration } from './types.js'
import { TOKEN_CLAIMS } from './tokens/claims.js'

/** `jwks_uri` of an issuer: the issuer without its trailing slash + `/.well-known/jwks.json`. */
export function jwksUri(issuer: string): string {
  return `${issuer.replace(/\/+$/u, '')}/.well-known/jwks.json`
}

/** `/.well-known/openid-configuration` of an issuer URL (discovery location, same rule). */
export function discoveryUri(issuer: string): string {
  return `${issuer.replace(/\/+$/u, '')}/.well-known/openid-configuration`
}

/**
 * The OIDC discovery document, computed from the configuration and the key set (never written by
 * hand). `issuer` is the configured URL byte for byte: AWS compares the token's `iss` with it
 * exactly, trailing slash included.
 */
export function buildDiscovery(issuer: string, algs: readonly SigningAlg[]): OpenIdConfiguration {
  return {
    issuer,
    jwks_uri: jwksUri(issuer),
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...algs],
    scopes_supported: ['openid'],
    claims_supported: [...TOKEN_CLAIMS],
  }
}
