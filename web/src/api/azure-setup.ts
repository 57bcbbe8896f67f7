import { api, enc, query } from './client'
import type { AzureSetupResponse } from './types'

export type AzureSetupFormat = AzureSetupResponse['format']

export const azureSetup = {
  get: (orgId: string, format: AzureSetupFormat, signal?: AbortSignal) =>
    api.get<AzureSetupResponse>(
      `/organizations/${enc(orgId)}/setup/azure${query({ format })}`,
      signal,
    ),
}
