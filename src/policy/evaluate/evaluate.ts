import type { EvaluationRequest, EvaluationResult, Policy } from '../types.js'

/** Evaluates one request against policies: explicit Deny wins, then Allow, else implicit deny. */
export function evaluate(
  request: EvaluationRequest,
  policies: readonly Policy[],
): EvaluationResult {
  void policies
  return { decision: 'ImplicitlyDenied', action: request.action, statements: [], failing: [] }
}
