import { KeylessError } from '../../shared/errors.js'
import { jsonOf, post } from './http.js'

/**
 * The two calls of Workload Identity Federation (docs/gcp.md), as google-auth-library makes
 * them: Google STS's token exchange (RFC 8693, form-encoded), then, with a service account,
 * IAM Credentials' generateAccessToken with the federated token.
 */

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform'

/** Google refused: the OAuth `error` of STS, or the gRPC status of IAM Credentials. */
export class GoogleRefused extends KeylessError {
  readonly errorCode: string
  readonly step: 'sts' | 'impersonation'
  constructor(step: 'sts' | 'impersonation', errorCode: string, message: string, status: number) {
    super('deployment_failed', `${errorCode}: ${message} (HTTP ${status})`)
    this.name = 'GoogleRefused'
    this.errorCode = errorCode
    this.step = step
  }
}

export async function exchangeAtSts(
  tokenUrl: string,
  audience: string,
  subjectToken: string,
  extraCa: string | undefined,
): Promise<{ accessToken: string; expiresInSeconds: number }> {
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    audience,
    scope: CLOUD_PLATFORM_SCOPE,
    requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    subject_token: subjectToken,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
  })
  const res = await post(tokenUrl, form.toString(), {
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    extraCa,
  })
  const body = jsonOf(res.body) ?? {}
  if (res.status === 200 && typeof body['access_token'] === 'string')
    return { accessToken: body['access_token'], expiresInSeconds: Number(body['expires_in'] ?? 0) }
  throw new GoogleRefused(
    'sts',
    typeof body['error'] === 'string' ? body['error'] : 'invalid_response',
    typeof body['error_description'] === 'string'
      ? body['error_description']
      : `unexpected answer from ${tokenUrl}`,
    res.status,
  )
}

export async function generateAccessToken(
  url: string,
  federatedToken: string,
  lifetimeSeconds: number,
  extraCa: string | undefined,
): Promise<{ accessToken: string; expireTime: string }> {
  const res = await post(
    url,
    JSON.stringify({ scope: [CLOUD_PLATFORM_SCOPE], lifetime: `${lifetimeSeconds}s` }),
    {
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${federatedToken}`,
      },
      extraCa,
    },
  )
  const body = jsonOf(res.body) ?? {}
  if (res.status === 200 && typeof body['accessToken'] === 'string')
    return {
      accessToken: body['accessToken'],
      expireTime: typeof body['expireTime'] === 'string' ? body['expireTime'] : '',
    }
  const e = body['error']
  const error = typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : {}
  throw new GoogleRefused(
    'impersonation',
    typeof error['status'] === 'string' ? error['status'] : 'invalid_response',
    typeof error['message'] === 'string' ? error['message'] : `unexpected answer from ${url}`,
    res.status,
  )
}
