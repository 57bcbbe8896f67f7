import { api, enc } from './client'
import type { ExplainResponse, LintResponse } from './types'

export interface ExplainInput {
  readonly trustPolicy: string
  readonly durationSeconds?: number
  readonly maxSessionDuration?: number
}

export const trust = {
  lint: (orgId: string, policy: string) =>
    api.post<LintResponse>(`/organizations/${enc(orgId)}/trust/lint`, { policy }),
  /** The workload-identity lint (`keyless lint --cloud gcp`) over pasted IAM v1 JSON. */
  lintGcp: (orgId: string, providers: string) =>
    api.post<LintResponse>(`/organizations/${enc(orgId)}/trust/lint-gcp`, { providers }),
  explain: (environmentId: string, body: ExplainInput) =>
    api.post<ExplainResponse>(`/environments/${enc(environmentId)}/trust/explain`, body),
}
