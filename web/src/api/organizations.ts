import { api, enc } from './client'
import type { Organization, Page } from './types'

export interface OrganizationPatch {
  readonly name?: string
  readonly subjectTemplate?: string
  readonly mintingStopped?: boolean
}

export const organizations = {
  list: (signal?: AbortSignal) => api.get<Page<Organization>>('/organizations', signal),
  get: (id: string, signal?: AbortSignal) =>
    api.get<Organization>(`/organizations/${enc(id)}`, signal),
  create: (name: string) => api.post<Organization>('/organizations', { name }),
  update: (id: string, patch: OrganizationPatch) =>
    api.patch<Organization>(`/organizations/${enc(id)}`, patch),
}
