/** What `keyless explain --cloud azure` takes and answers (src/trust/explain/azure/explain.ts). */
import type { ClosestFic } from '../../../federation/azure/closest.js'
import type { AzureFailure } from '../../../federation/azure/errors.js'
import type { AzureStepName } from '../../../federation/azure/step.js'
import type { CloudExplanation } from '../cloud.js'
import type { FicRecord } from './world.js'

export interface AzureExplainInput {
  /** The compact JWT (its signature is not checked). */
  readonly token: string
  /** Evaluate the token as if its `aud` were this (e.g. the audience of the Azure credential). */
  readonly audience?: string
  /** The application's federated credentials, as Graph lists them. */
  readonly fics: readonly FicRecord[]
  /** The application (client id); default a placeholder. */
  readonly clientId?: string
  readonly displayName?: string
  readonly scope?: string
  readonly now: Date
}

export interface AzureExplainStep {
  readonly step: AzureStepName
  readonly status: 'ok' | 'fail' | 'skipped'
  readonly detail: string
}

export interface AzureExplanation extends CloudExplanation {
  readonly cloud: 'azure'
  /** What Entra would answer (the first failing step); absent when a token would be issued. */
  readonly azureError?: Pick<AzureFailure, 'code' | 'error' | 'httpStatus' | 'message' | 'reason'>
  readonly steps: readonly AzureExplainStep[]
  /** The credential that came closest to the token, and what differed. */
  readonly closest: ClosestFic | null
  /** Credentials Entra would refuse to hold, and why. */
  readonly refused: readonly string[]
  readonly claims: Readonly<Record<string, unknown>>
  readonly clientId: string
  readonly signatureChecked: false
}
