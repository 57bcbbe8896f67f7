import { api, enc, query } from './client'
import type { OidcSettings, SetupResponse, ThumbprintResponse } from './types'

export type SetupFormat = 'json' | 'terraform' | 'cloudformation'

export interface SetupQuery {
  readonly format: SetupFormat
  readonly roleName: string
  readonly accountId?: string
}

export const oidc = {
  settings: (orgId: string, signal?: AbortSignal) =>
    api.get<OidcSettings>(`/organizations/${enc(orgId)}/oidc`, signal),
  setup: (orgId: string, q: SetupQuery, signal?: AbortSignal) =>
    api.get<SetupResponse>(`/organizations/${enc(orgId)}/setup${query({ ...q })}`, signal),
  thumbprint: (orgId: string, signal?: AbortSignal) =>
    api.get<ThumbprintResponse>(`/organizations/${enc(orgId)}/thumbprint`, signal),
}
