/**
 * The context of one STS token exchange as the GCP chain reads it: the request's fields, the
 * rules (some [U] and configurable), the pools and providers the call sees, and the facts the
 * steps establish on the way (docs/gcp.md, "How Google decides").
 */
import type { DecodedJwt } from '../jwt.js'
import type { MappedIdentity, MappingLine } from './mapping.js'
import type { ProviderRef } from './names.js'
import type { CheckedProvider } from './provider.js'

/** The request's fields under their form (snake_case) names, whatever the encoding. */
export interface GcpExchangeRequest {
  readonly fields: Readonly<Record<string, string>>
}

export interface GcpRules {
  readonly requireHttpsIssuers: boolean
  /** Allowance on `exp` and on an `iat` in the future (Google: none documented). */
  readonly clockSkewSeconds: number
  /** An `iat` older than this is stale (Google: 24 h). */
  readonly maxTokenAgeSeconds: number
  /** A token whose `aud` is an array passes when one element is allowed [U]. */
  readonly acceptArrayAudience: boolean
  /** `https://x/` and `https://x` are one issuer [U]. */
  readonly issuerSlashInsensitive: boolean
  /** Refuse a subject_token with surrounding whitespace (default: trimmed) [U]. */
  readonly strictSubjectToken: boolean
  /** Cap `expires_in` at the subject token's `exp` [U]. */
  readonly capAtSubjectExpiry: boolean
}

export const DEFAULT_GCP_RULES: GcpRules = {
  requireHttpsIssuers: false,
  clockSkewSeconds: 0,
  maxTokenAgeSeconds: 24 * 3600,
  acceptArrayAudience: true,
  issuerSlashInsensitive: true,
  strictSubjectToken: false,
  capAtSubjectExpiry: false,
}

/** What the world knows about the pool and provider an audience names. */
export interface GcpTarget {
  readonly poolState: 'active' | 'disabled' | 'deleted'
  /** Undefined when the pool has no provider with this id. */
  readonly providerState: 'active' | 'disabled' | 'deleted' | undefined
  readonly provider: CheckedProvider | undefined
}

export type GcpSignatureVerdict =
  | { readonly status: 'pass'; readonly kid: string | undefined; readonly source: string }
  | {
      readonly status: 'fail'
      readonly kind: 'unavailable' | 'no-key' | 'bad-signature'
      readonly reason: string
    }

export interface GcpWorld {
  target(ref: ProviderRef): GcpTarget | undefined
  /** Absent offline (`keyless explain`): the signature step is skipped. */
  readonly verifySignature?: (
    provider: CheckedProvider,
    jwt: DecodedJwt,
  ) => Promise<GcpSignatureVerdict>
}

export interface GcpFacts {
  ref?: ProviderRef
  provider?: CheckedProvider
  token?: string
  jwt?: DecodedJwt
  claims?: Readonly<Record<string, unknown>>
  iss?: string
  aud?: unknown
  identity?: MappedIdentity
  lines?: readonly MappingLine[]
}

export interface GcpExchange {
  readonly request: GcpExchangeRequest
  readonly rules: GcpRules
  readonly world: GcpWorld
  readonly env: { readonly nowMs: number }
  readonly facts: GcpFacts
}
