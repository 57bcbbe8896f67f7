import { api, enc, query } from './client'
import type { Page, StateLock, StateOutputs, StateResources, StateVersion } from './types'

/** An environment's Terraform state as the REST API shows it (docs/state.md). */
export function stateOf(environmentId: string) {
  const base = `/environments/${enc(environmentId)}/state`
  return {
    versions: (cursor: string | undefined, signal?: AbortSignal) =>
      api.get<Page<StateVersion>>(`${base}/versions${query({ cursor, limit: 20 })}`, signal),
    restore: (serial: number) => api.post<StateVersion>(`${base}/versions/${serial}/restore`),
    lock: (signal?: AbortSignal) => api.get<{ lock: StateLock | null }>(`${base}/lock`, signal),
    forceUnlock: () => api.del<{ released: StateLock }>(`${base}/lock`),
    outputs: (signal?: AbortSignal) => api.get<StateOutputs>(`${base}/outputs`, signal),
    resources: (signal?: AbortSignal) => api.get<StateResources>(`${base}/resources`, signal),
  }
}

export type StateApi = ReturnType<typeof stateOf>
