/** The GCP chain's step type and verdicts. */
import type { ChainStep, Verdict } from '../chain.js'
import { gcpFailure, type GcpFailure, type GcpFailureReason } from './errors.js'
import type { GcpExchange } from './exchange.js'

export type GcpStepName =
  | 'request'
  | 'audience-format'
  | 'target'
  | 'token-type'
  | 'token'
  | 'header'
  | 'issuer'
  | 'audience'
  | 'signature'
  | 'times'
  | 'mapping'
  | 'condition'

export type GcpStep = ChainStep<GcpExchange, GcpFailure, GcpStepName>
export type GcpVerdict = Verdict<GcpFailure>

export function pass(detail: string, trace: readonly string[] = [detail]): GcpVerdict {
  return { status: 'pass', detail, trace: () => [...trace] }
}

export function skipped(detail: string): GcpVerdict {
  return { status: 'skipped', detail, trace: () => [`(skipped) ${detail}`] }
}

export function fail(
  reason: GcpFailureReason,
  description: string,
  detail: string = description,
  trace: readonly string[] = [],
): GcpVerdict {
  return {
    status: 'fail',
    failure: gcpFailure(reason, description),
    detail,
    trace: () => [...trace, detail],
  }
}
