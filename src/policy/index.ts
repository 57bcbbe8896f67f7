/**
 * keyless policy engine: the IAM policy language, parsed, validated, evaluated and explained.
 * Pure: no I/O, no clock, no `node:*` imports. See docs/policy-engine.md.
 */
export { parsePolicy } from './parse/parse.js'
export { validateTrustPolicy, validateIdentityPolicy } from './validate/validate.js'
export { evaluate } from './evaluate/evaluate.js'
export { evaluateWebIdentityTrust } from './web-identity.js'
export { explainLines, type TrustExplanation } from './explain.js'
// Building blocks for tools (lint, console): the operator grammar and IAM's size rule.
export { parseOperatorName, type OperatorName } from './conditions/index.js'
export { countedSize } from './validate/validate.js'
export { TRUST_POLICY_QUOTA } from './validate/messages.js'
export {
  webIdentityContext,
  GENERIC_CLAIM_KEYS,
  ISSUER_CLAIM_KEYS,
  providerKeysOf,
} from './web-identity.js'
export type {
  ConditionEntry,
  ConditionExplanation,
  ContextValue,
  Decision,
  DuplicateKey,
  EvaluationRequest,
  EvaluationResult,
  FailingCondition,
  ParseOptions,
  ParseResult,
  Policy,
  PolicyError,
  PolicyValidation,
  Position,
  PrincipalSpec,
  RequestPrincipal,
  SessionTag,
  ShapeProblem,
  Statement,
  StatementExplanation,
  StringListElement,
  WebIdentityTrustInput,
  WebIdentityTrustResult,
} from './types.js'
