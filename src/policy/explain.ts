import type { EvaluationResult, WebIdentityTrustResult } from './types.js'

/** Human-readable lines, one fact per line, for CLIs and logs. */
export function explainLines(result: EvaluationResult | WebIdentityTrustResult): string[] {
  return [`decision: ${result.decision}`]
}
