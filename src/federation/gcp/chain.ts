/**
 * The STS token exchange as one chain, in the order of docs/gcp.md ("How Google decides"):
 * fields → audience format → pool/provider → token type → token → kid/alg → iss → aud →
 * signature → exp/iat → attribute mapping → attribute condition.
 */
import { runChain, runChainSync, type ChainRun } from '../chain.js'
import type { GcpFailure } from './errors.js'
import type { GcpExchange } from './exchange.js'
import type { GcpStep, GcpStepName } from './step.js'
import { conditionStep, mappingStep } from './steps/attributes.js'
import { audienceFormatStep, requestStep, targetStep, tokenTypeStep } from './steps/request.js'
import { signatureStep } from './steps/signature.js'
import { timesStep } from './steps/times.js'
import { audienceStep, headerStep, issuerStep, tokenStep } from './steps/token.js'

export const gcpTokenChain: readonly GcpStep[] = [
  requestStep,
  audienceFormatStep,
  targetStep,
  tokenTypeStep,
  tokenStep,
  headerStep,
  issuerStep,
  audienceStep,
  signatureStep,
  timesStep,
  mappingStep,
  conditionStep,
]

export type GcpChainRun = ChainRun<GcpFailure, GcpStepName>

export function runGcpChain(exchange: GcpExchange): Promise<GcpChainRun> {
  return runChain(gcpTokenChain, exchange, 'online')
}

/** Offline, every step (the signature skipped): for `keyless explain` and lint. */
export function runGcpChainOffline(exchange: GcpExchange): GcpChainRun {
  if (exchange.world.verifySignature !== undefined)
    throw new TypeError('an offline GCP chain has no verifySignature')
  return runChainSync(
    gcpTokenChain.filter((s) => s.name !== 'signature'),
    exchange,
    'offline',
  )
}
