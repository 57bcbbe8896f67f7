/**
 * Entra ID's token-endpoint errors (docs/emulator.md, "Azure"): each AADSTS code with its OAuth
 * `error`, HTTP status and verbatim message. Texts the public record does not pin down are marked
 * [U] in the docs and are the first documented alternative.
 */
export type AzureOAuthError =
  | 'invalid_request'
  | 'invalid_client'
  | 'unauthorized_client'
  | 'invalid_scope'
  | 'unsupported_grant_type'

const WIF_OLD =
  'https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation'
const WIF = 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation'

export const azureErrorTable = {
  70021: { error: 'invalid_client', status: 401 },
  700211: { error: 'invalid_client', status: 401 },
  700212: { error: 'invalid_client', status: 401 },
  700213: { error: 'invalid_client', status: 401 },
  7002138: { error: 'invalid_client', status: 401 },
  700024: { error: 'invalid_client', status: 401 },
  70023: { error: 'invalid_request', status: 400 },
  50166: { error: 'invalid_request', status: 400 },
  7000272: { error: 'invalid_client', status: 401 },
  50013: { error: 'invalid_client', status: 401 },
  700016: { error: 'unauthorized_client', status: 400 },
  70011: { error: 'invalid_scope', status: 400 },
  700222: { error: 'invalid_request', status: 400 },
  90002: { error: 'invalid_request', status: 400 },
  50027: { error: 'invalid_request', status: 400 },
  900144: { error: 'invalid_request', status: 400 },
  70003: { error: 'unsupported_grant_type', status: 400 },
  90100: { error: 'invalid_request', status: 400 },
} as const satisfies Record<number, { error: AzureOAuthError; status: number }>

export type AzureErrorCode = keyof typeof azureErrorTable

/** Seconds of the lifetime cap, 1.01:00:00. */
export const MAX_ASSERTION_LIFETIME = 25 * 3600

/** Entra's timestamps in messages: seven fraction digits. */
export function entraTime(ms: number): string {
  const iso = new Date(ms).toISOString()
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}0000Z`
}

export const azureMessages = {
  noMatchShort: 'No matching federated identity record found for presented assertion.',
  noMatchLegacy: (iss: string, sub: string, aud: string): string =>
    `No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. Assertion Subject: '${sub}'. Assertion Audience: '${aud}'. ${WIF_OLD}`,
  noIssuer: (iss: string): string =>
    `No matching federated identity record found for presented assertion issuer '${iss}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${WIF_OLD}`,
  noAudience: (aud: string): string =>
    `No matching federated identity record found for presented assertion audience '${aud}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${WIF_OLD}`,
  noSubject: (sub: string): string =>
    `No matching federated identity record found for presented assertion subject '${sub}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${WIF}`,
  subjectCase: (sub: string): string =>
    `No matching federated identity record found for presented assertion subject '${sub}'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. See documentation at: ${WIF}. See breaking change notification and remediation at: https://learn.microsoft.com/en-us/entra/identity-platform/reference-breaking-changes#august-2024.`,
  timeRange: (now: number, from: number, exp: number): string =>
    `Client assertion is not within its valid time range. Current time: ${entraTime(now)}, assertion valid from ${entraTime(from)}, expiry time of assertion ${entraTime(exp)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
  lifetime: (iat: number, exp: number): string =>
    `External OIDC Provider token must have a lifetime of less than or equal to 1.01:00:00. Token issued at ${iat}. Token expires on ${exp}.`,
  oidcFailed: 'Request to External OIDC endpoint failed.',
  noKey: (kid: string, iss: string): string =>
    `The certificate with identifier ${kid} used to sign the federated credential could not be found in the metadata of identity provider ${iss}. Please validate that your Identity Provider's metadata exposes the key used to sign the incoming token.`,
  badSignature:
    'Assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value.]',
  noApplication: (clientId: string, tenant: string): string =>
    `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  badScope: (scope: string): string =>
    `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
  aadIssued: 'AAD-issued tokens may not be used for federated identity flows.',
  noTenant: (tenant: string): string =>
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  malformed: 'JWT token is invalid or malformed.',
  missingParameter: (name: string): string =>
    `The request body must contain the following parameter: '${name}'.`,
  badGrant: (grant: string): string => `The app requested an unsupported grant type '${grant}'.`,
  badParameter: (detail: string): string => `The request is not valid: ${detail}.`,
} as const

/** Every way the exchange fails, by what a person would have to fix. */
export type AzureFailureReason =
  | 'request-invalid'
  | 'grant-unsupported'
  | 'tenant-not-found'
  | 'client-not-found'
  | 'token-malformed'
  | 'token-aad-issued'
  | 'issuer-not-matched'
  | 'audience-not-matched'
  | 'subject-not-matched'
  | 'subject-case-differs'
  | 'fic-not-propagated'
  | 'issuer-unreachable'
  | 'key-not-found'
  | 'signature-invalid'
  | 'lifetime-too-long'
  | 'token-not-in-time-range'
  | 'scope-invalid'

/** One failure as the client sees it. */
export interface AzureFailure {
  readonly reason: AzureFailureReason
  readonly code: AzureErrorCode
  readonly error: AzureOAuthError
  readonly httpStatus: number
  /** The message after `AADSTS<code>: `, without the trailer. */
  readonly message: string
}

export function azureFailure(
  reason: AzureFailureReason,
  code: AzureErrorCode,
  message: string,
): AzureFailure {
  const row = azureErrorTable[code]
  return { reason, code, error: row.error, httpStatus: row.status, message }
}
