/**
 * keyless policy engine: the IAM policy language, parsed, validated, evaluated and explained.
 * Pure: no I/O, no clock, no `node:*` imports. See docs/policy-engine.md.
 */
export { parsePolicy } from './parse/parse.js'
export { validateTrustPolicy, validateIdentityPolicy } from './validate/validate.js'
export { evaluate } from './evaluate/evaluate.js'
export { evaluateWebIdentityTrust } from './web-identity.js'
export { explainLines } from './explain.js'
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
