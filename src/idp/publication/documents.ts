import type { JWK } from 'jose'
import type { OpenIdConfiguration } from '../types.js'

/** One file of a static issuer: where it goes under the issuer's location, and what it holds. */
export interface IssuerDocument {
  /** Relative to the issuer URL's path, e.g. `.well-known/jwks.json`. */
  readonly path: string
  readonly contentType: string
  readonly cacheControl: string
  readonly body: string
}

/**
 * The two documents AWS, Entra and Google fetch from an issuer, exactly as the control plane
 * serves them: the discovery document (whose `jwks_uri` is `<issuer>/.well-known/jwks.json`, the
 * public location) and the JWKS.
 */
export function issuerDocuments(
  discovery: OpenIdConfiguration,
  jwks: { readonly keys: readonly JWK[] },
): readonly IssuerDocument[] {
  const common = {
    contentType: 'application/json; charset=utf-8',
    cacheControl: 'public, max-age=300',
  }
  // The JWKS first: a reader never finds a discovery document newer than the keys.
  return [
    { path: '.well-known/jwks.json', ...common, body: JSON.stringify(jwks) },
    { path: '.well-known/openid-configuration', ...common, body: JSON.stringify(discovery) },
  ]
}
