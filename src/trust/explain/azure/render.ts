/** The text `keyless explain --cloud azure` prints: the assertion, each step, the closest credential, the answer. */
import type { AzureExplanation } from './types.js'

function show(claims: Readonly<Record<string, unknown>>, k: string): string {
  const v = claims[k]
  return v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v)
}

function resultLine(e: Omit<AzureExplanation, 'lines'>, resource: string | undefined): string {
  const err = e.azureError
  return err === undefined
    ? `Result: allowed; Entra issues an access token for ${resource ?? '(the scope)'} to ${e.clientId}`
    : `Result: denied; Entra answers ${err.error} (HTTP ${err.httpStatus}): AADSTS${err.code}: ${err.message}`
}

export function renderAzureLines(
  e: Omit<AzureExplanation, 'lines'>,
  closest: readonly string[],
  resource: string | undefined,
): string[] {
  return [
    'Assertion (signature NOT checked: explain works offline on the claims)',
    ...['iss', 'aud', 'sub'].map((k) => `  ${k} ${show(e.claims, k)}`),
    `Application ${e.clientId}`,
    'Steps (in the order Entra checks)',
    ...e.steps.map((s) => `  ${s.status.toUpperCase().padEnd(7)} ${s.step.padEnd(10)} ${s.detail}`),
    ...e.refused.map((r) => `Refused by Entra, left out: ${r}`),
    ...closest,
    resultLine(e, resource),
  ]
}
