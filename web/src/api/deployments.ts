import { api, enc, query } from './client'
import type { Deployment, DeploymentType, Page } from './types'

export interface DeploymentQuery {
  readonly environmentId?: string
  readonly status?: string
  readonly cursor?: string
  readonly limit?: number
}

export const deployments = {
  list: (orgId: string, q: DeploymentQuery, signal?: AbortSignal) =>
    api.get<Page<Deployment>>(`/organizations/${enc(orgId)}/deployments${query({ ...q })}`, signal),
  get: (id: string, signal?: AbortSignal) => api.get<Deployment>(`/deployments/${enc(id)}`, signal),
  create: (environmentId: string, type: DeploymentType) =>
    api.post<Deployment>(`/environments/${enc(environmentId)}/deployments`, { type }),
  cancel: (id: string) => api.post<Deployment>(`/deployments/${enc(id)}/cancel`),
  /** Decides on a deployment awaiting approval (deployer role). */
  decide: (id: string, decision: 'approve' | 'reject', comment: string) =>
    api.post<Deployment>(
      `/deployments/${enc(id)}/${decision}`,
      comment.trim() === '' ? {} : { comment: comment.trim() },
    ),
  /** The log stream (Server-Sent Events) path, for streamEvents. */
  logsPath: (id: string) => `/deployments/${enc(id)}/logs`,
}
