import { api, enc } from './client'
import { listAll } from './list-all'
import type { AgentToken, ApiKey, KeyRole, NewAgentToken, NewApiKey } from './types'

export interface ApiKeyInput {
  readonly role: KeyRole
  readonly email: string
  readonly name?: string
}

export const apiKeys = {
  list: (orgId: string, signal?: AbortSignal) =>
    listAll<ApiKey>(`/organizations/${enc(orgId)}/api-keys`, signal),
  create: (orgId: string, body: ApiKeyInput) =>
    api.post<NewApiKey>(`/organizations/${enc(orgId)}/api-keys`, body),
  revoke: (orgId: string, id: string) =>
    api.del<ApiKey>(`/organizations/${enc(orgId)}/api-keys/${enc(id)}`),
}

export const agentTokens = {
  list: (orgId: string, signal?: AbortSignal) =>
    listAll<AgentToken>(`/organizations/${enc(orgId)}/agent-tokens`, signal),
  create: (orgId: string, body: { name: string }) =>
    api.post<NewAgentToken>(`/organizations/${enc(orgId)}/agent-tokens`, body),
  revoke: (orgId: string, id: string) =>
    api.del<AgentToken>(`/organizations/${enc(orgId)}/agent-tokens/${enc(id)}`),
}
