/**
 * The context of one client-assertion token request as the Azure chain reads it: the form, the
 * rules (some [U] and configurable), the directory the call sees and the facts steps establish.
 */
import type { DecodedJwt } from '../jwt.js'
import type { Fic } from './fic.js'

export interface AzureExchangeRequest {
  /** The tenant segment of the path. */
  readonly tenant: string
  /** Form fields (query parameters are not merged in). */
  readonly form: Readonly<Record<string, string>>
}

export interface AzureRules {
  /** Answer FIC mismatches with the legacy AADSTS70021 long text. */
  readonly legacyNoMatch: boolean
  readonly requireHttpsIssuers: boolean
  readonly acceptEs256: boolean
  /** Refuse a client_assertion with surrounding whitespace (default: trimmed). */
  readonly strictAssertion: boolean
  readonly clockSkewSeconds: number
  /** A FIC is seen by exchanges only this long after it was written. */
  readonly propagationSeconds: number
}

export const DEFAULT_AZURE_RULES: AzureRules = {
  legacyNoMatch: false,
  requireHttpsIssuers: false,
  acceptEs256: true,
  strictAssertion: false,
  clockSkewSeconds: 0,
  propagationSeconds: 0,
}

/** An app registration's service principal or a user-assigned managed identity. */
export interface AzureClientFacts {
  readonly kind: 'application' | 'managed-identity'
  readonly clientId: string
  /** The service principal's (or the identity's principal) object id: `oid` of its tokens. */
  readonly principalId: string
  readonly displayName: string
  readonly fics: readonly Fic[]
}

export type AzureSignatureVerdict =
  | { readonly status: 'pass'; readonly kid: string | undefined }
  /** Not checked here (`keyless explain` works offline on the claims). */
  | { readonly status: 'skipped'; readonly detail: string }
  | {
      readonly status: 'fail'
      readonly kind: 'unavailable' | 'no-key' | 'bad-signature'
      readonly reason: string
    }

export interface AzureWorld {
  readonly tenantId: string
  /** Tenant ids or domains this directory answers to. */
  knowsTenant(tenant: string): boolean
  client(clientId: string): AzureClientFacts | undefined
  /** Issuers of this emulator's own tokens (AADSTS700222). */
  readonly ownIssuers: readonly string[]
  verifySignature(
    iss: string,
    jwt: DecodedJwt,
  ): AzureSignatureVerdict | Promise<AzureSignatureVerdict>
}

export interface AzureFacts {
  clientId?: string
  scope?: string
  /** The resource the access token is for (scope without `/.default`). */
  resource?: string
  client?: AzureClientFacts
  jwt?: DecodedJwt
  claims?: Readonly<Record<string, unknown>>
  iss?: string
  aud?: string
  sub?: string
  /** FICs of the client seen by this exchange (propagated). */
  visible?: readonly Fic[]
  /** The FIC that matched. */
  fic?: Fic
}

export interface AzureExchange {
  readonly request: AzureExchangeRequest
  readonly rules: AzureRules
  readonly world: AzureWorld
  readonly env: { readonly nowMs: number }
  readonly facts: AzureFacts
}
