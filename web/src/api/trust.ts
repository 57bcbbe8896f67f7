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
  explain: (environmentId: string, body: ExplainInput) =>
    api.post<ExplainResponse>(`/environments/${enc(environmentId)}/trust/explain`, body),
}
