/** Google workload identity federation, pure (docs/gcp.md). */
export {
  celEngine,
  type CelEngine,
  type CompiledCel,
  type CelKind,
  type CelOutcome,
} from './cel.js'
export { runGcpChain, runGcpChainOffline, gcpTokenChain, type GcpChainRun } from './chain.js'
export * from './errors.js'
export {
  DEFAULT_GCP_RULES,
  type GcpExchange,
  type GcpRules,
  type GcpWorld,
  type GcpTarget,
  type GcpSignatureVerdict,
} from './exchange.js'
export { explainGcpDecision, type GcpExplainInput, type GcpExplanation } from './explain.js'
export * from './external-account.js'
export * from './iam-policy.js'
export {
  applyMapping,
  applyCondition,
  MAX_SUBJECT_BYTES,
  type MappedIdentity,
  type MappingLine,
} from './mapping.js'
export * from './names.js'
export * from './provider.js'
export type { GcpStepName } from './step.js'
