import { api, enc } from './client'
import { listAll } from './list-all'
import type { Credential } from './types'

export interface CredentialInput {
  readonly type: 'aws-oidc'
  readonly name: string
  readonly roleArn: string
  readonly durationSeconds?: number
  readonly planRoleArn?: string
  readonly region?: string
  readonly stsEndpoint?: string
  readonly sessionTags: boolean
  readonly refresh: boolean
}

export const credentials = {
  list: (orgId: string, signal?: AbortSignal) =>
    listAll<Credential>(`/organizations/${enc(orgId)}/credentials`, signal),
  create: (orgId: string, body: CredentialInput) =>
    api.post<Credential>(`/organizations/${enc(orgId)}/credentials`, body),
  assign: (projectId: string, credentialId: string) =>
    api.put<undefined>(`/projects/${enc(projectId)}/credentials/${enc(credentialId)}`),
}
