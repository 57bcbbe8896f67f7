/**
 * The client-assertion token request as one chain, in the order of docs/emulator.md ("Azure:
 * order of checks"): form → tenant → client → assertion → FIC by issuer → audience → subject →
 * discovery/JWKS/kid/signature → lifetime → nbf/exp → scope.
 */
import { runChain, runChainSync, type ChainMode, type ChainRun } from '../chain.js'
import type { AzureFailure } from './errors.js'
import type { AzureExchange } from './exchange.js'
import type { AzureStep, AzureStepName } from './step.js'
import { keysStep } from './steps/keys.js'
import { audienceStep, issuerStep, subjectStep } from './steps/match.js'
import { clientStep, requestStep, tenantStep } from './steps/request.js'
import { lifetimeStep, scopeStep, timeRangeStep } from './steps/times.js'
import { tokenStep } from './steps/token.js'

export const azureTokenChain: readonly AzureStep[] = [
  requestStep,
  tenantStep,
  clientStep,
  tokenStep,
  issuerStep,
  audienceStep,
  subjectStep,
  keysStep,
  lifetimeStep,
  timeRangeStep,
  scopeStep,
]

export type AzureChainRun = ChainRun<AzureFailure, AzureStepName>

/** Online: stops at the first failure; the keys step may wait for the issuer's keys. */
export function runAzureChain(exchange: AzureExchange): Promise<AzureChainRun> {
  return runChain(azureTokenChain, exchange, 'online')
}

/** Offline (the world answers at once, the signature is skipped): every step, for explanations. */
export function runAzureChainOffline(
  exchange: AzureExchange,
  mode: ChainMode = 'offline',
): AzureChainRun {
  return runChainSync(azureTokenChain, exchange, mode)
}
