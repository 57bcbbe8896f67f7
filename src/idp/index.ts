/**
 * The identity provider (docs/architecture.md §3): signing keys (generated, sealed at rest, rotated
 * with pre-publication), the discovery document, the JWKS and token minting.
 *
 * ```ts
 * const masterKey = await loadMasterKey({ dataDir, masterKey: config.masterKey })
 * const idp = await createIdentityProvider({ issuerUrl, store, masterKey, clock, logger,
 *   signingAlg: 'RS256', tokenTtlSeconds: 600, keyPrepublishSeconds: 3600 })
 * const { token, jti, kid, claimsDigest, omittedTags } = await idp.mint(context) // caller audits
 * ```
 */
export {
  createIdentityProvider,
  DEFAULT_KEY_REFRESH_MS,
  MAX_KEY_REFRESH_MS,
  MAX_PUBLISHED_KEYS,
  type IdentityProviderOptions,
  type ManagedIdentityProvider,
  type RotateOptions,
} from './provider.js'
export { loadMasterKey, parseMasterKey, type LoadMasterKeyOptions } from './master-key.js'
export { buildDiscovery, discoveryUri, jwksUri } from './discovery.js'
export { TOKEN_CLAIMS } from './tokens/claims.js'
export { SESSION_TAGS_CLAIM } from './tokens/session-tags.js'
export { canonicalJson, claimsDigest } from './tokens/digest.js'
export { SIGNING_ALGS, thumbprint, type SigningAlg } from './keys/key-material.js'
export type * from './types.js'
