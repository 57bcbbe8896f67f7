/**
 * The AWS wire errors the emulator answers with: one table, mirroring the `awsQueryError` entries
 * of the AWS SDK (wire code → HTTP status) and the spec (docs/aws-behaviour.md §9,
 * §14, §15). Handlers throw `AwsError`; the Query protocol layer turns it into `<ErrorResponse>`.
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

/** An AWS error as it goes on the wire: code, message, HTTP status and fault. */
export class AwsError extends Error {
  readonly code: AwsErrorCode
  readonly httpStatus: number
  readonly fault: 'Sender' | 'Receiver'
  /** Why, in detail, for the decision log and server log only; never sent to the client. */
  readonly detail: string | undefined

  constructor(code: AwsErrorCode, message: string, detail?: string) {
    super(message)
    this.name = 'AwsError'
    this.code = code
    this.httpStatus = awsErrorTable[code].status
    this.fault = awsErrorTable[code].fault
    this.detail = detail
  }
}

export function isAwsError(value: unknown): value is AwsError {
  return value instanceof AwsError
}

/** Messages AWS sends verbatim (docs/aws-behaviour.md §9, §15). Odd spacing is real. */
export const awsMessages = {
  noKey:
    "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
  invalidToken:
    'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.',
  incorrectAudience: 'Incorrect token audience',
  missingAud: 'Missing a required claim: aud',
  notAuthorized: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
  durationExceedsMax:
    'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
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
