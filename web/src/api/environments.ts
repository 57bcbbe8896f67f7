import { api, enc, query } from './client'
import { listAll } from './list-all'
import type { Cloud, Environment, OidcPreview } from './types'

export interface EnvironmentPatch {
  readonly name?: string
  readonly templateId?: string
  readonly roleArnOverride?: string | null
}

export const environments = {
  list: (projectId: string, signal?: AbortSignal) =>
    listAll<Environment>(`/projects/${enc(projectId)}/environments`, signal),
  get: (id: string, signal?: AbortSignal) =>
    api.get<Environment>(`/environments/${enc(id)}`, signal),
  create: (projectId: string, body: { name: string; templateId: string }) =>
    api.post<Environment>(`/projects/${enc(projectId)}/environments`, body),
  update: (id: string, patch: EnvironmentPatch) =>
    api.patch<Environment>(`/environments/${enc(id)}`, patch),
  /** The claims the environment's next token would carry (unsigned). */
  preview: (id: string, cloud: Cloud, signal?: AbortSignal) =>
    api.get<OidcPreview>(`/environments/${enc(id)}/oidc-preview${query({ cloud })}`, signal),
}
