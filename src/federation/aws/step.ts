/** The AWS chain's step type and the three verdicts, so each step reads as its rule. */
import type { ChainStep, Verdict } from '../chain.js'
import { awsFailure, type AwsErrorCode, type AwsFailure, type AwsFailureReason } from './errors.js'
import type { AwsExchange } from './exchange.js'

export type AwsStepName =
  | 'request'
  | 'token'
  | 'provider'
  | 'audience'
  | 'signature'
  | 'expiry'
  | 'session-tags'
  | 'role'
  | 'trust-policy'
  | 'duration'
  | 'session-policy'

export type AwsStep = ChainStep<AwsExchange, AwsFailure, AwsStepName>
export type AwsVerdict = Verdict<AwsFailure>

export function pass(detail: string, trace?: () => string[]): AwsVerdict {
  return trace === undefined ? { status: 'pass', detail } : { status: 'pass', detail, trace }
}

export function skipped(detail: string): AwsVerdict {
  return { status: 'skipped', detail }
}

export function fail(
  reason: AwsFailureReason,
  code: AwsErrorCode,
  message: string,
  detail: string = message,
  extra: { readonly trace?: () => string[]; readonly cause?: unknown } = {},
): AwsVerdict {
  return { status: 'fail', failure: awsFailure(reason, code, message), detail, ...extra }
}
