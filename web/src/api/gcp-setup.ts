import { api, enc, query } from './client'
import type { GcpSetupResponse } from './types'

export type GcpSetupFormat = GcpSetupResponse['format']

export const gcpSetup = {
  get: (orgId: string, format: GcpSetupFormat, signal?: AbortSignal) =>
    api.get<GcpSetupResponse>(`/organizations/${enc(orgId)}/setup/gcp${query({ format })}`, signal),
}
