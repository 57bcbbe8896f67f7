import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { KeylessError } from '../shared/errors.js'
import type { AwsCredentials } from './types.js'

/** What one AssumeRoleWithWebIdentity call needs. */
export interface ExchangeRequest {
  readonly roleArn: string
  readonly sessionName: string
  readonly durationSeconds: number
  readonly region: string
  /** The credential's STS endpoint; null = AWS's regional endpoint for `region`. */
  readonly stsEndpoint: string | null
  readonly token: string
}

/** AWS (or the emulator) refused the exchange, or could not be reached. */
export class ExchangeError extends KeylessError {
  /** AWS's error code (`AccessDenied`, `InvalidIdentityToken`, …) or `NetworkingError`. */
  readonly awsCode: string
  readonly awsMessage: string
  readonly httpStatus: number | undefined

  constructor(awsCode: string, awsMessage: string, httpStatus: number | undefined) {
    super(
      awsCode === 'NetworkingError' ? 'upstream_unreachable' : 'deployment_failed',
      `${awsCode}: ${awsMessage}`,
    )
    this.name = 'ExchangeError'
    this.awsCode = awsCode
    this.awsMessage = awsMessage
    this.httpStatus = httpStatus
  }
}

const clients = new Map<string, STSClient>()

/** One client per (region, endpoint): clients keep connections alive across deployments. */
function clientFor(region: string, endpoint: string | null): STSClient {
  const key = `${region} ${endpoint ?? ''}`
  let client = clients.get(key)
  if (client === undefined) {
    client = new STSClient({
      region,
      ...(endpoint === null ? {} : { endpoint }),
      maxAttempts: 3,
      // AssumeRoleWithWebIdentity is unsigned; never let the SDK look for the agent's own keys.
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    })
    clients.set(key, client)
  }
  return client
}

/** The endpoint a request goes to, for messages: the credential's, or AWS's regional one. */
export function endpointOf(region: string, stsEndpoint: string | null): string {
  return stsEndpoint ?? `https://sts.${region}.amazonaws.com`
}

/** Exchanges a web identity token for temporary credentials (RoleSessionName = deployment id). */
export async function assumeRoleWithWebIdentity(request: ExchangeRequest): Promise<AwsCredentials> {
  const client = clientFor(request.region, request.stsEndpoint)
  let out
  try {
    out = await client.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: request.roleArn,
        RoleSessionName: request.sessionName,
        WebIdentityToken: request.token,
        DurationSeconds: request.durationSeconds,
      }),
    )
  } catch (error) {
    throw toExchangeError(error)
  }
  const c = out.Credentials
  if (
    c?.AccessKeyId === undefined ||
    c.SecretAccessKey === undefined ||
    c.SessionToken === undefined ||
    c.Expiration === undefined
  ) {
    throw new ExchangeError('IncompleteResponse', 'the answer carried no credentials', undefined)
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
    assumedRoleArn: out.AssumedRoleUser?.Arn ?? request.roleArn,
  }
}

function toExchangeError(error: unknown): ExchangeError {
  if (typeof error !== 'object' || error === null)
    return new ExchangeError('Unknown', String(error), undefined)
  const e = error as {
    name?: string
    message?: string
    code?: string
    Code?: string
    $metadata?: { httpStatusCode?: number }
    $fault?: string
  }
  const status = e.$metadata?.httpStatusCode
  const sysCode = e.code
  if (
    status === undefined &&
    sysCode !== undefined &&
    /^(ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH)$/u.test(sysCode)
  ) {
    return new ExchangeError('NetworkingError', `${sysCode}: ${e.message ?? ''}`.trim(), undefined)
  }
  const code = e.Code ?? e.name ?? 'Unknown'
  return new ExchangeError(code, e.message ?? '', status)
}
