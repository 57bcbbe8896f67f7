import { KeylessError } from '../../shared/errors.js'
import { jsonOf, post } from './http.js'

/**
 * The client-credentials exchange of a keyless token at Entra's token endpoint
 * (`POST {authority}/{tenant}/oauth2/v2.0/token`, docs/azure.md), as the Azure SDKs make it.
 */
export interface EntraRequest {
  readonly authorityHost: string
  readonly tenantId: string
  readonly clientId: string
  readonly assertion: string
  readonly scope?: string
  readonly extraCa?: string | undefined
}

export interface EntraToken {
  readonly accessToken: string
  readonly expiresInSeconds: number
}

/** Entra refused the exchange: its `error` and `error_description` (AADSTS… text). */
export class EntraRefused extends KeylessError {
  readonly error: string
  /** `AADSTS70021`, … (from the description), or the OAuth error when there is none. */
  readonly aadsts: string
  constructor(error: string, description: string, status: number) {
    super('deployment_failed', `${description || error} (HTTP ${status})`)
    this.name = 'EntraRefused'
    this.error = error
    this.aadsts = /^(AADSTS\d+)/u.exec(description)?.[1] ?? error
  }
}

export const ARM_SCOPE = 'https://management.azure.com/.default'

export async function exchangeAtEntra(request: EntraRequest): Promise<EntraToken> {
  const url = `${request.authorityHost.replace(/\/+$/u, '')}/${encodeURIComponent(request.tenantId)}/oauth2/v2.0/token`
  const form = new URLSearchParams({
    client_id: request.clientId,
    scope: request.scope ?? ARM_SCOPE,
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: request.assertion,
  })
  const res = await post(url, form.toString(), {
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    extraCa: request.extraCa,
  })
  const body = jsonOf(res.body) ?? {}
  const accessToken = body['access_token']
  if (res.status === 200 && typeof accessToken === 'string')
    return { accessToken, expiresInSeconds: Number(body['expires_in'] ?? 0) }
  throw new EntraRefused(
    typeof body['error'] === 'string' ? body['error'] : 'invalid_response',
    typeof body['error_description'] === 'string'
      ? body['error_description']
      : `unexpected answer from ${url}`,
    res.status,
  )
}
