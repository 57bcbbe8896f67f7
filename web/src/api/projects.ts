import { api, enc } from './client'
import { listAll } from './list-all'
import type { Project } from './types'

export interface ProjectInput {
  readonly name: string
  readonly description?: string
}

export const projects = {
  list: (orgId: string, signal?: AbortSignal) =>
    listAll<Project>(`/organizations/${enc(orgId)}/projects`, signal),
  get: (id: string, signal?: AbortSignal) => api.get<Project>(`/projects/${enc(id)}`, signal),
  create: (orgId: string, body: ProjectInput) =>
    api.post<Project>(`/organizations/${enc(orgId)}/projects`, body),
  update: (id: string, body: ProjectInput) => api.patch<Project>(`/projects/${enc(id)}`, body),
}
