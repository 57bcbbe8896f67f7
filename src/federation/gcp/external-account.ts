/**
 * The `external_account` credential file Google's clients read (google-auth-library,
 * google-auth for Python, golang.org/x/oauth2, gcloud): its schema and a builder from a
 * `gcp-oidc` credential's fields (docs/gcp.md, "The external_account file"). The runner writes
 * it for `GOOGLE_APPLICATION_CREDENTIALS`; the emulator tests run the real clients with it.
 */
import { z } from 'zod'
import { TOKEN_TYPE_JWT } from './errors.js'
import { providerName } from './names.js'

export const GOOGLE_STS_URL = 'https://sts.googleapis.com/v1/token'
export const GOOGLE_IAM_CREDENTIALS_URL = 'https://iamcredentials.googleapis.com'

const format = z.object({
  type: z.enum(['text', 'json']),
  subject_token_field_name: z.string().min(1).optional(),
})

export const externalAccountSchema = z
  .object({
    type: z.literal('external_account'),
    audience: z.string().startsWith('//iam.googleapis.com/'),
    subject_token_type: z.string().min(1),
    token_url: z.string().min(1),
    credential_source: z.union([
      z.object({ file: z.string().min(1), format: format.optional() }),
      z.object({
        url: z.string().min(1),
        headers: z.record(z.string(), z.string()).optional(),
        format: format.optional(),
      }),
    ]),
    service_account_impersonation_url: z.string().min(1).optional(),
    service_account_impersonation: z
      .object({ token_lifetime_seconds: z.number().int().min(600).max(43200) })
      .optional(),
    universe_domain: z.string().min(1).optional(),
    quota_project_id: z.string().min(1).optional(),
  })
  .strict()

export type ExternalAccount = z.infer<typeof externalAccountSchema>

export interface ExternalAccountInput {
  readonly projectNumber: string
  readonly poolId: string
  readonly providerId: string
  /** The file the runner keeps the current keyless token in. */
  readonly tokenFile: string
  /** Base URL of STS (default Google's); `/v1/token` is appended unless already there. */
  readonly stsEndpoint?: string | undefined
  /** Base URL of IAM Credentials (default Google's). */
  readonly iamCredentialsEndpoint?: string | undefined
  /** Impersonate this service account (else the federated token is the credential). */
  readonly serviceAccountEmail?: string | undefined
  readonly tokenLifetimeSeconds?: number | undefined
}

function join(base: string, path: string): string {
  const b = base.replace(/\/+$/u, '')
  return b.endsWith(path) ? b : `${b}${path}`
}

/** The token URL for an STS base URL (Google's when undefined). */
export function stsTokenUrl(stsEndpoint: string | undefined): string {
  return stsEndpoint === undefined ? GOOGLE_STS_URL : join(stsEndpoint, '/v1/token')
}

export function impersonationUrl(
  email: string,
  iamCredentialsEndpoint: string | undefined,
): string {
  const base = (iamCredentialsEndpoint ?? GOOGLE_IAM_CREDENTIALS_URL).replace(/\/+$/u, '')
  return `${base}/v1/projects/-/serviceAccounts/${email}:generateAccessToken`
}

export function buildExternalAccount(input: ExternalAccountInput): ExternalAccount {
  const lifetime = input.tokenLifetimeSeconds
  return externalAccountSchema.parse({
    type: 'external_account',
    audience: `//iam.googleapis.com/${providerName(input)}`,
    subject_token_type: TOKEN_TYPE_JWT,
    token_url: stsTokenUrl(input.stsEndpoint),
    credential_source: { file: input.tokenFile, format: { type: 'text' } },
    ...(input.serviceAccountEmail === undefined
      ? {}
      : {
          service_account_impersonation_url: impersonationUrl(
            input.serviceAccountEmail,
            input.iamCredentialsEndpoint,
          ),
          ...(lifetime === undefined
            ? {}
            : { service_account_impersonation: { token_lifetime_seconds: lifetime } }),
        }),
    universe_domain: 'googleapis.com',
  })
}
