import { api, enc } from './client'
import { listAll } from './list-all'
import type { Credential, Page } from './types'

/** What `POST /organizations/{id}/credentials` takes, per cloud (src/platform/credential-input.ts). */
interface CommonInput {
  readonly name: string
  readonly subjectTemplate?: string
}

export interface AwsCredentialInput extends CommonInput {
  readonly type: 'aws-oidc'
  readonly roleArn: string
  readonly durationSeconds?: number
  readonly planRoleArn?: string
  readonly region?: string
  readonly stsEndpoint?: string
  readonly sessionTags: boolean
  readonly refresh: boolean
}

export interface AzureCredentialInput extends CommonInput {
  readonly type: 'azure-oidc'
  readonly tenantId: string
  readonly clientId: string
  readonly subscriptionId: string
  readonly planClientId?: string
  readonly audience?: string
  readonly authorityHost?: string
}

export interface GcpCredentialInput extends CommonInput {
  readonly type: 'gcp-oidc'
  readonly projectNumber: string
  readonly gcpProjectId: string
  readonly poolId: string
  readonly providerId: string
  readonly serviceAccountEmail?: string
  readonly planServiceAccountEmail?: string
  readonly tokenLifetimeSeconds?: number
  readonly audience?: string
  readonly stsEndpoint?: string
  readonly iamCredentialsEndpoint?: string
}

export type CredentialInput = AwsCredentialInput | AzureCredentialInput | GcpCredentialInput

export const credentials = {
  list: (orgId: string, signal?: AbortSignal) =>
    listAll<Credential>(`/organizations/${enc(orgId)}/credentials`, signal),
  /** The credentials assigned to a project, one per cloud (aws, azure, gcp). */
  forProject: (projectId: string, signal?: AbortSignal) =>
    api.get<Page<Credential>>(`/projects/${enc(projectId)}/credentials`, signal),
  create: (orgId: string, body: CredentialInput) =>
    api.post<Credential>(`/organizations/${enc(orgId)}/credentials`, body),
  update: (credentialId: string, body: { readonly subjectTemplate?: string | null }) =>
    api.patch<Credential>(`/credentials/${enc(credentialId)}`, body),
  assign: (projectId: string, credentialId: string) =>
    api.put<undefined>(`/projects/${enc(projectId)}/credentials/${enc(credentialId)}`),
}
