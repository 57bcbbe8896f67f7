import { api, enc } from './client'
import { listAll } from './list-all'
import type { Variable } from './types'

/** The URL segment of a variable scope. */
export type VariableOwner = 'organizations' | 'projects' | 'templates' | 'environments'

export function variablesOf(owner: VariableOwner, id: string) {
  const base = `/${owner}/${enc(id)}/variables`
  return {
    key: base,
    list: (signal?: AbortSignal) => listAll<Variable>(base, signal),
    put: (name: string, body: { value: string; sensitive: boolean }) =>
      api.put<Variable>(`${base}/${enc(name)}`, body),
    remove: (name: string) => api.del<Variable>(`${base}/${enc(name)}`),
  }
}
