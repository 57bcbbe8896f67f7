import type { JWK } from 'jose'
import type { TokenContext } from '../shared/token-context.js'

/** A session tag the token could not carry, and why (AWS would reject it). */
export interface OmittedTag {
  readonly key: string
  readonly reason: string
}

/** The result of minting one deployment token. Never log `token`. */
export interface MintedToken {
  readonly token: string
  readonly jti: string
  readonly kid: string
  readonly issuedAt: Date
  readonly expiresAt: Date
  /** The token's claims (safe to show and store: no secret in them). */
  readonly claims: Readonly<Record<string, unknown>>
  /** `JSON.stringify(claims)`: the text the token's payload encodes (serialized once per mint). */
  readonly claimsJson: string
  /** SHA-256 (hex) of the canonical JSON of the claims, for the audit log. */
  readonly claimsDigest: string
  readonly omittedTags: readonly OmittedTag[]
}

export interface ClaimsPreview {
  readonly claims: Readonly<Record<string, unknown>>
  readonly omittedTags: readonly OmittedTag[]
}

export type KeyState = 'pending' | 'active' | 'retiring' | 'retired'

export interface SigningKeyInfo {
  readonly kid: string
  readonly alg: 'RS256' | 'ES256'
  readonly state: KeyState
  readonly createdAt: Date
  /** When the key starts signing (after its pre-publication window). */
  readonly activatesAt: Date
  /**
   * When its successor takes (or took) over signing: the next key's `activatesAt`. Null while no
   * successor exists. A pending successor makes it a time in the future.
   */
  readonly supersededAt: Date | null
  /** When it leaves the JWKS: `supersededAt` + token lifetime (every token it signed has expired). */
  readonly unpublishAt: Date | null
}

/** The OIDC discovery document (`/.well-known/openid-configuration`). */
export type OpenIdConfiguration = Readonly<Record<string, unknown>> & {
  readonly issuer: string
  readonly jwks_uri: string
}

/**
 * The identity provider as the control plane uses it. Built by `createIdentityProvider`
 * (src/idp/index.ts). Key-set changes made by another process sharing the database
 * (`keyless keys rotate`) are picked up within 10 seconds.
 */
export interface IdentityProvider {
  readonly issuer: string
  discovery(): OpenIdConfiguration
  /** Published keys (public members only). */
  jwks(): Promise<{ readonly keys: readonly JWK[] }>
  /** Signs a token for a deployment. The caller checks permissions and state and writes the audit. */
  mint(context: TokenContext): Promise<MintedToken>
  /** The claims a token for this context would carry (unsigned; `iat`/`exp` as if minted now). */
  previewClaims(context: TokenContext): ClaimsPreview
  listKeys(): Promise<readonly SigningKeyInfo[]>
  /** True while a key that may sign now is loaded (unsealed), so `mint` can succeed. */
  ready(): boolean
  /** Adds a new key, published now, signing after the pre-publication window. */
  rotate(): Promise<SigningKeyInfo>
  close(): Promise<void>
}
