/** The Azure chain's step type and verdicts. */
import type { ChainStep, Verdict } from '../chain.js'
import {
  azureFailure,
  type AzureErrorCode,
  type AzureFailure,
  type AzureFailureReason,
} from './errors.js'
import type { AzureExchange } from './exchange.js'

export type AzureStepName =
  | 'request'
  | 'tenant'
  | 'client'
  | 'token'
  | 'issuer'
  | 'audience'
  | 'subject'
  | 'keys'
  | 'lifetime'
  | 'time-range'
  | 'scope'

export type AzureStep = ChainStep<AzureExchange, AzureFailure, AzureStepName>
export type AzureVerdict = Verdict<AzureFailure>

export function pass(detail: string): AzureVerdict {
  return { status: 'pass', detail, trace: () => [detail] }
}

export function skipped(detail: string): AzureVerdict {
  return { status: 'skipped', detail }
}

export function fail(
  reason: AzureFailureReason,
  code: AzureErrorCode,
  message: string,
  detail: string = message,
): AzureVerdict {
  return {
    status: 'fail',
    failure: azureFailure(reason, code, message),
    detail,
    trace: () => [detail],
  }
}
