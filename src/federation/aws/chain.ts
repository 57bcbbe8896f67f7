/**
 * AssumeRoleWithWebIdentity as one chain, in the order STS checks (docs/aws-behaviour.md §3). The
 * emulator runs it online against its state and fetched keys; `keyless explain` runs it offline.
 */
import { runChainEager, runChainSync, type ChainMode, type ChainRun } from '../chain.js'
import type { AwsFailure } from './errors.js'
import type { AwsExchange } from './exchange.js'
import type { AwsStep, AwsStepName } from './step.js'
import { audienceStep } from './steps/audience.js'
import { durationStep } from './steps/duration.js'
import { expiryStep } from './steps/expiry.js'
import { providerStep } from './steps/provider.js'
import { requestStep } from './steps/request.js'
import { roleStep } from './steps/role.js'
import { sessionPolicyStep } from './steps/session-policy.js'
import { sessionTagsStep } from './steps/session-tags.js'
import { signatureStep } from './steps/signature.js'
import { tokenStep } from './steps/token.js'
import { trustPolicyStep } from './steps/trust-policy.js'

export const awsWebIdentityChain: readonly AwsStep[] = [
  requestStep,
  tokenStep,
  providerStep,
  audienceStep,
  signatureStep,
  expiryStep,
  sessionTagsStep,
  roleStep,
  trustPolicyStep,
  durationStep,
  sessionPolicyStep,
]

export type AwsChainRun = ChainRun<AwsFailure, AwsStepName>

/**
 * Online: stops at the first failure; the signature step may wait for the issuer's keys (a
 * promise then), else the run comes back at once.
 */
export function runAwsChain(exchange: AwsExchange): AwsChainRun | Promise<AwsChainRun> {
  return runChainEager(awsWebIdentityChain, exchange, 'online')
}

/** Offline (nothing to fetch): runs every step, or stops at the first failure if asked. */
export function runAwsChainOffline(
  exchange: AwsExchange,
  mode: ChainMode = 'offline',
): AwsChainRun {
  return runChainSync(awsWebIdentityChain, exchange, mode)
}
