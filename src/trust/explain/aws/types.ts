/** What `keyless explain --cloud aws` takes and answers (src/trust/explain/aws/explain.ts). */
import type { AwsStepName } from '../../../federation/aws/step.js'
import type { WebIdentityTrustResult } from '../../../policy/index.js'
import type { DecodedToken } from '../../token/decode.js'
import type { CloudExplanation } from '../cloud.js'
import type { KnownProvider } from './world.js'

export interface ExplainInput {
  /** The compact JWT; or give `claims` (an unsigned preview, e.g. the control plane's oidc-preview). */
  readonly token?: string
  readonly claims?: Readonly<Record<string, unknown>>
  /** The role's trust policy text. */
  readonly trustPolicy: string
  /** The role; when absent the account comes from the policy's provider ARN. */
  readonly roleArn?: string
  /** Requested DurationSeconds (default 3600). */
  readonly duration?: number
  /** The role's MaxSessionDuration (default 3600). */
  readonly maxSessionDuration?: number
  /** The IAM provider, when known (read from IAM): its client IDs decide the audience check. */
  readonly provider?: KnownProvider | null
  /** RoleSessionName (default: the token's deploymentId, as keyless's runner sends). */
  readonly roleSessionName?: string
  readonly now: Date
}

export type StepStatus = 'ok' | 'fail' | 'skipped' | 'warn'

export interface ExplainStep {
  readonly step: AwsStepName
  readonly status: StepStatus
  readonly detail: string
}

export interface AwsErrorAnswer {
  readonly code: string
  readonly httpStatus: number
  readonly message: string
}

export interface Explanation extends CloudExplanation {
  /** The error AWS would answer (the first failing step in AWS's order); absent when allowed. */
  readonly awsError?: AwsErrorAnswer
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` when allowed. */
  readonly assumedRoleArn?: string
  readonly steps: readonly ExplainStep[]
  /** The trust-policy evaluation (every statement and condition with its values). */
  readonly trust: WebIdentityTrustResult | null
  readonly token: DecodedToken
  readonly roleArn: string
  readonly roleSessionName: string
  /** Always false: explain works offline on the token's claims. */
  readonly signatureChecked: false
}
