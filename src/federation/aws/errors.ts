/**
 * AWS's error codes and the exact messages STS sends (docs/aws-behaviour.md §9, §14, §15): the
 * wire table (code → HTTP status and fault), the verbatim messages, and every way
 * AssumeRoleWithWebIdentity fails as a stable `reason` with its code and message. The emulator
 * answers with these, `keyless explain` predicts them, and the runner reads an answer back into
 * its reason (`identifyAwsFailure`) instead of matching message text itself.
 */
export const awsErrorTable = {
  // Query protocol and authentication
  InvalidAction: { status: 400, fault: 'Sender' },
  MissingAction: { status: 400, fault: 'Sender' },
  NoSuchVersion: { status: 400, fault: 'Sender' },
  ValidationError: { status: 400, fault: 'Sender' },
  InvalidParameterValue: { status: 400, fault: 'Sender' },
  MissingAuthenticationToken: { status: 403, fault: 'Sender' },
  IncompleteSignature: { status: 400, fault: 'Sender' },
  InvalidClientTokenId: { status: 403, fault: 'Sender' },
  ExpiredToken: { status: 403, fault: 'Sender' },
  SignatureDoesNotMatch: { status: 403, fault: 'Sender' },
  AccessDenied: { status: 403, fault: 'Sender' },
  RequestEntityTooLarge: { status: 413, fault: 'Sender' },
  InternalFailure: { status: 500, fault: 'Receiver' },
  // STS
  InvalidIdentityToken: { status: 400, fault: 'Sender' },
  ExpiredTokenException: { status: 400, fault: 'Sender' },
  IDPCommunicationError: { status: 400, fault: 'Sender' },
  IDPRejectedClaim: { status: 403, fault: 'Sender' },
  MalformedPolicyDocument: { status: 400, fault: 'Sender' },
  PackedPolicyTooLarge: { status: 400, fault: 'Sender' },
  RegionDisabledException: { status: 403, fault: 'Sender' },
  // IAM
  InvalidInput: { status: 400, fault: 'Sender' },
  NoSuchEntity: { status: 404, fault: 'Sender' },
  EntityAlreadyExists: { status: 409, fault: 'Sender' },
  LimitExceeded: { status: 409, fault: 'Sender' },
  DeleteConflict: { status: 409, fault: 'Sender' },
  UnmodifiableEntity: { status: 400, fault: 'Sender' },
  ConcurrentModification: { status: 409, fault: 'Sender' },
  OpenIdIdpCommunicationError: { status: 400, fault: 'Sender' },
  ServiceFailure: { status: 500, fault: 'Receiver' },
} as const satisfies Record<string, { status: number; fault: 'Sender' | 'Receiver' }>

export type AwsErrorCode = keyof typeof awsErrorTable

/** Messages AWS sends verbatim (docs/aws-behaviour.md §9, §15). Odd spacing is real. */
export const awsMessages = {
  noKey:
    "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
  invalidToken:
    'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.',
  incorrectAudience: 'Incorrect token audience',
  missingAud: 'Missing a required claim: aud',
  missingIss: 'Missing a required claim: iss',
  notAuthorized: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
  durationExceedsMax:
    'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  chainingLimit:
    'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
  providerIdForOidc:
    'ProviderId is only for OAuth 2.0 access tokens; do not set it for OpenID Connect ID tokens.',
  invalidClientTokenId: 'The security token included in the request is invalid',
  expiredToken: 'The security token included in the request is expired',
  signatureDoesNotMatch:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  missingAuthenticationToken: 'Request is missing Authentication Token',
  internalFailure: 'An internal error occurred.',
  duplicateTags: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  transitiveNotInTags: 'The specified transitive tag key must be included in the requested tags.',
} as const

export function noProviderMessage(iss: string): string {
  return `No OpenIDConnect provider found in your account for ${iss}`
}

export function invalidArnMessage(value: string): string {
  return `${value} is invalid`
}

export function expiredMessage(now: number, exp: number, style: '2021' | '2024'): string {
  return `Token expired: current date/time ${now} must be before the expiration date/time${style === '2021' ? '' : ' '}${exp}`
}

export function tooOldMessage(ageSeconds: number): string {
  return `Token too old: ${ageSeconds}`
}

export function packedTooLargeMessage(percent: number): string {
  return `Packed policy consumes ${percent}% of allotted space, please use smaller policy.`
}

/** Every way AssumeRoleWithWebIdentity fails, by what a person would have to fix. */
export const AWS_FAILURE_REASONS = [
  'role-arn-invalid',
  'provider-id-set',
  'token-malformed',
  'issuer-missing',
  'provider-not-found',
  'audience-missing',
  'audience-not-registered',
  'keys-unavailable',
  'signature-invalid',
  'token-times-invalid',
  'token-expired',
  'token-not-yet-valid',
  'token-too-old',
  'session-tags-invalid',
  'source-identity-invalid',
  'role-not-found',
  'trust-policy-unreadable',
  'trust-policy-denied',
  'duration-exceeds-max',
  'duration-chaining-limit',
  'session-policy-malformed',
  'policy-arn-invalid',
  'packed-policy-too-large',
  'idp-unreachable',
  'region-disabled',
] as const
export type AwsFailureReason = (typeof AWS_FAILURE_REASONS)[number]

/** One failure as the client sees it: the reason, AWS's code, status and exact message. */
export interface AwsFailure {
  readonly reason: AwsFailureReason
  readonly code: AwsErrorCode
  readonly httpStatus: number
  readonly message: string
}

export function awsFailure(
  reason: AwsFailureReason,
  code: AwsErrorCode,
  message: string,
): AwsFailure {
  return { reason, code, httpStatus: awsErrorTable[code].status, message }
}

/**
 * Reads an answer of STS (real or emulated) back into its reason, by code and AWS's exact
 * messages. Where one answer covers several reasons (AWS's AccessDenied is the same for a missing
 * role and a refusing trust policy), the broadest reason is returned.
 */
export function identifyAwsFailure(code: string, message: string): AwsFailureReason | undefined {
  switch (code) {
    case 'ValidationError':
      if (message === awsMessages.durationExceedsMax) return 'duration-exceeds-max'
      if (message === awsMessages.chainingLimit) return 'duration-chaining-limit'
      return message.endsWith(' is invalid') ? 'role-arn-invalid' : undefined
    case 'InvalidIdentityToken':
      return identifyInvalidToken(message)
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return message.startsWith('Token too old') ? 'token-too-old' : 'token-expired'
    case 'AccessDenied':
      return 'trust-policy-denied'
    case 'IDPCommunicationError':
      return 'idp-unreachable'
    case 'RegionDisabledException':
      return 'region-disabled'
    case 'MalformedPolicyDocument':
      return 'session-policy-malformed'
    case 'PackedPolicyTooLarge':
      return 'packed-policy-too-large'
    default:
      return undefined
  }
}

function identifyInvalidToken(message: string): AwsFailureReason {
  if (message === awsMessages.incorrectAudience) return 'audience-not-registered'
  if (message === awsMessages.missingAud) return 'audience-missing'
  if (message === awsMessages.missingIss) return 'issuer-missing'
  if (message === awsMessages.noKey) return 'keys-unavailable'
  if (message.startsWith(noProviderMessage(''))) return 'provider-not-found'
  return 'token-malformed'
}
