import { api, enc } from './client'
import { listAll } from './list-all'
import type { Template, TemplateStep, TemplateType } from './types'

export interface TemplateInput {
  readonly name: string
  readonly type: TemplateType
  readonly steps?: TemplateStep[]
  readonly path?: string
}

export const templates = {
  list: (orgId: string, signal?: AbortSignal) =>
    listAll<Template>(`/organizations/${enc(orgId)}/templates`, signal),
  create: (orgId: string, body: TemplateInput) =>
    api.post<Template>(`/organizations/${enc(orgId)}/templates`, body),
  update: (id: string, body: TemplateInput) => api.patch<Template>(`/templates/${enc(id)}`, body),
}
