import { api, enc, query } from './client'
import type { AuditEvent, Page } from './types'

export interface AuditQuery {
  readonly action?: string
  readonly deploymentId?: string
  readonly cursor?: string
  readonly limit?: number
}

export const audit = {
  list: (orgId: string, q: AuditQuery, signal?: AbortSignal) =>
    api.get<Page<AuditEvent>>(`/organizations/${enc(orgId)}/audit${query({ ...q })}`, signal),
}
