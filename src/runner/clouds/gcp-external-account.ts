import type { AgentGcpCredential } from '../../shared/contracts/agent-api.js'

/**
 * The `external_account` credential file of Workload Identity Federation (docs/gcp.md) that
 * google-auth-library, google-auth (Python), golang.org/x/oauth2 (Terraform's google provider)
 * and gcloud read: the token comes from a file keyless keeps fresh.
 */
export interface ExternalAccountFile {
  readonly type: 'external_account'
  readonly audience: string
  readonly subject_token_type: 'urn:ietf:params:oauth:token-type:jwt'
  readonly token_url: string
  readonly credential_source: { readonly file: string }
  readonly service_account_impersonation_url?: string
  readonly service_account_impersonation?: { readonly token_lifetime_seconds: number }
  readonly universe_domain: 'googleapis.com'
}

/** `//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>` */
export function providerAudience(c: AgentGcpCredential): string {
  return `//iam.googleapis.com/projects/${c.projectNumber}/locations/global/workloadIdentityPools/${c.poolId}/providers/${c.providerId}`
}

export function impersonationUrl(c: AgentGcpCredential, serviceAccountEmail: string): string {
  return `${c.iamCredentialsEndpoint}/v1/projects/-/serviceAccounts/${serviceAccountEmail}:generateAccessToken`
}

export function externalAccountFile(
  c: AgentGcpCredential,
  tokenFile: string,
  serviceAccountEmail: string | null,
): ExternalAccountFile {
  return {
    type: 'external_account',
    audience: providerAudience(c),
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `${c.stsEndpoint}/v1/token`,
    credential_source: { file: tokenFile },
    ...(serviceAccountEmail === null
      ? {}
      : {
          service_account_impersonation_url: impersonationUrl(c, serviceAccountEmail),
          service_account_impersonation: { token_lifetime_seconds: c.tokenLifetimeSeconds },
        }),
    universe_domain: 'googleapis.com',
  }
}
