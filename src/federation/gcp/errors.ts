/**
 * Google STS's token-exchange errors (docs/gcp.md, "Errors"): each failure reason with its OAuth
 * `error`, HTTP status and `error_description`. Texts the public record pins are verbatim; the
 * others ([U] in docs/gcp.md) are the first alternative and kept here in one place.
 */
export type GcpOAuthError =
  | 'invalid_request'
  | 'invalid_target'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'

export const GRANT_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange'
export const TOKEN_TYPE_ACCESS = 'urn:ietf:params:oauth:token-type:access_token'
export const TOKEN_TYPE_ACCESS_BOUNDARY =
  'urn:ietf:params:oauth:token-type:access_boundary_intermediary_token'
export const TOKEN_TYPE_JWT = 'urn:ietf:params:oauth:token-type:jwt'
export const TOKEN_TYPE_ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token'
/** Subject token types STS knows; only the first two are OIDC. */
export const SUBJECT_TOKEN_TYPES = [
  TOKEN_TYPE_JWT,
  TOKEN_TYPE_ID_TOKEN,
  'urn:ietf:params:aws:token-type:aws4_request',
  TOKEN_TYPE_ACCESS,
  'urn:ietf:params:oauth:token-type:saml2',
  'urn:ietf:params:oauth:token-type:mtls',
] as const

/** Every way the exchange fails, by what a person would have to fix. */
export type GcpFailureReason =
  | 'request-invalid'
  | 'grant-unsupported'
  | 'audience-invalid'
  | 'target-not-found'
  | 'target-disabled'
  | 'token-type-mismatch'
  | 'token-malformed'
  | 'kid-missing'
  | 'alg-unsupported'
  | 'issuer-not-matched'
  | 'audience-not-matched'
  | 'issuer-unreachable'
  | 'key-not-found'
  | 'signature-invalid'
  | 'token-expired'
  | 'token-stale'
  | 'token-from-future'
  | 'mapping-failed'
  | 'subject-missing'
  | 'subject-too-long'
  | 'attributes-too-large'
  | 'condition-rejected'

/** OAuth error and HTTP status per reason (all 400 [U]: Google's statuses are not documented). */
export const gcpErrorTable = {
  'request-invalid': 'invalid_request',
  'grant-unsupported': 'invalid_request',
  'audience-invalid': 'invalid_request',
  'target-not-found': 'invalid_target',
  'target-disabled': 'invalid_target',
  'token-type-mismatch': 'invalid_request',
  'token-malformed': 'invalid_grant',
  'kid-missing': 'invalid_grant',
  'alg-unsupported': 'invalid_grant',
  'issuer-not-matched': 'invalid_grant',
  'audience-not-matched': 'invalid_grant',
  'issuer-unreachable': 'invalid_grant',
  'key-not-found': 'invalid_grant',
  'signature-invalid': 'invalid_grant',
  'token-expired': 'invalid_grant',
  'token-stale': 'invalid_grant',
  'token-from-future': 'invalid_grant',
  'mapping-failed': 'invalid_grant',
  'subject-missing': 'invalid_grant',
  'subject-too-long': 'invalid_request',
  'attributes-too-large': 'invalid_request',
  'condition-rejected': 'unauthorized_client',
} as const satisfies Record<GcpFailureReason, GcpOAuthError>

export const STS_DOCS = 'https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token'

export const gcpMessages = {
  // Verbatim (docs/gcp.md cites where each was seen).
  audienceFormat: `Invalid value for "audience". This value should be the full resource name of the Identity Provider. See ${STS_DOCS} for the list of possible formats.`,
  target:
    'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.',
  audienceMismatch: (aud: string, expected: string): string =>
    `The audience in ID Token [${aud}] does not match the expected audience ${expected}.`,
  issuerMismatch: (iss: string, expected: string): string =>
    `The issuer in ID Token ${iss} does not match the expected ones: ${expected}`,
  issuerUnreachable: "Error connecting to the given credential's issuer.",
  condition: 'The given credential is rejected by the attribute condition.',
  subjectTooLong:
    'The size of mapped attribute google.subject exceeds the 127 bytes limit. Either modify your attribute mapping or the incoming assertion to produce a mapped attribute that is less than 127 bytes.',
  malformed: 'Unable to parse the ID Token.',
  stale: (iat: number): string => `ID Token issued at ${iat} is stale to sign-in.`,
  // [U]: first alternative, not seen verbatim.
  missing: (field: string): string => `The request is missing the required parameter "${field}".`,
  badValue: (field: string): string => `Invalid value for "${field}".`,
  tokenType: (type: string): string =>
    `Invalid value for "subject_token_type". The subject token type ${type} is not supported by this provider.`,
  kid: 'The ID Token header is missing the "kid" field.',
  alg: (alg: string): string =>
    `The ID Token is signed with an unsupported algorithm ${alg}; only RS256 and ES256 are supported.`,
  noKey: (kid: string): string =>
    `Unable to verify the ID Token signature: no key with kid ${kid} was found.`,
  signature: 'Unable to verify the ID Token signature.',
  expired: (exp: number): string => `The ID Token expired at ${exp}.`,
  future: (iat: number): string => `The ID Token was issued in the future (iat ${iat}).`,
  mapping: (key: string, why: string): string =>
    `The attribute mapping for ${key} failed to evaluate: ${why}.`,
  subjectMissing: 'The mapped attribute google.subject is missing or empty.',
  attributesTooLarge: (bytes: number): string =>
    `The total size of mapped attributes (${bytes} bytes) exceeds the 8192 bytes limit.`,
} as const

/** One failure as the client sees it. */
export interface GcpFailure {
  readonly reason: GcpFailureReason
  readonly error: GcpOAuthError
  readonly httpStatus: number
  readonly description: string
}

export function gcpFailure(reason: GcpFailureReason, description: string): GcpFailure {
  return { reason, error: gcpErrorTable[reason], httpStatus: 400, description }
}

/** Google's API error shape (IAM, IAM Credentials): `{"error":{code,message,status,details?}}`. */
export interface GoogleApiError {
  readonly error: {
    readonly code: number
    readonly message: string
    readonly status: string
    readonly details?: readonly unknown[]
  }
}

export const GET_ACCESS_TOKEN = 'iam.serviceAccounts.getAccessToken'

export const googleMessages = {
  unauthenticated:
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  permissionDenied: `Permission '${GET_ACCESS_TOKEN}' denied on resource (or it may not exist).`,
  invalidArgument: 'Request contains an invalid argument.',
  lifetime: 'The access token lifetime cannot exceed 3600 seconds.',
  notFound: 'Requested entity was not found.',
  alreadyExists: 'Requested entity already exists',
} as const

export function googleError(
  code: number,
  status: string,
  message: string,
  details?: readonly unknown[],
): GoogleApiError {
  return { error: { code, message, status, ...(details === undefined ? {} : { details }) } }
}

export function permissionDenied(permission: string = GET_ACCESS_TOKEN): GoogleApiError {
  return googleError(403, 'PERMISSION_DENIED', googleMessages.permissionDenied, [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'IAM_PERMISSION_DENIED',
      domain: 'iam.googleapis.com',
      metadata: { permission },
    },
  ])
}
