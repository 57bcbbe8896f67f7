/**
 * `explainAzure`: what Entra's token endpoint would answer to a client-assertion request with
 * this token for this application. It runs the Entra chain of src/federation/azure/ (the one the
 * emulator runs online) offline, to the end, and names the federated credential that came
 * closest and the field that differed (src/federation/azure/closest.ts).
 */
import { toBase64url } from '../../../federation/base64url.js'
import { runAzureChainOffline, type AzureChainRun } from '../../../federation/azure/chain.js'
import { closestFic, closestLines, type ClosestFic } from '../../../federation/azure/closest.js'
import { DEFAULT_AZURE_RULES, type AzureExchange } from '../../../federation/azure/exchange.js'
import { JWT_BEARER } from '../../../federation/azure/steps/request.js'
import { readJwtSegments } from '../../../federation/jwt.js'
import { KeylessError } from '../../../shared/errors.js'
import { renderAzureLines } from './render.js'
import type { AzureExplainInput, AzureExplainStep, AzureExplanation } from './types.js'
import { ficsOf, offlineWorld } from './world.js'

/** The tenant (and, when none is given, the application): explain decides for the one it is given. */
const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000'
export const DEFAULT_SCOPE = 'https://management.azure.com/.default'

/** The token, with its `aud` replaced when asked (the signature segment is kept, never read). */
function assertionOf(token: string, audience: string | undefined): string {
  const read = readJwtSegments(token.trim())
  if (!read.ok) throw new KeylessError('input_unreadable', `not a JWT: ${read.reason}`)
  if (audience === undefined) return token.trim()
  const payload = { ...read.payload, aud: audience }
  return [read.header, payload]
    .map((p) => toBase64url(JSON.stringify(p)))
    .concat(read.signature)
    .join('.')
}

function stepsOf(run: AzureChainRun): AzureExplainStep[] {
  return run.outcomes.map(({ step, verdict }) => ({
    step,
    status: verdict.status === 'pass' ? 'ok' : verdict.status,
    detail: verdict.detail,
  }))
}

/** The credential closest to the assertion, and its lines; none when the assertion is unreadable. */
function closestOf(ex: AzureExchange): { closest: ClosestFic | null; lines: string[] } {
  const { iss, aud, sub } = ex.facts
  if (iss === undefined || aud === undefined || sub === undefined)
    return { closest: null, lines: [] }
  const closest = closestFic(ex.facts.client?.fics ?? [], { iss, aud, sub })
  return { closest: closest ?? null, lines: closestLines(closest) }
}

export function explainAzure(input: AzureExplainInput): AzureExplanation {
  const assertion = assertionOf(input.token, input.audience)
  const clientId = input.clientId ?? PLACEHOLDER_ID
  const { fics, refused } = ficsOf(input.fics)
  const exchange: AzureExchange = {
    request: {
      tenant: PLACEHOLDER_ID,
      form: {
        grant_type: 'client_credentials',
        client_id: clientId,
        scope: input.scope ?? DEFAULT_SCOPE,
        client_assertion_type: JWT_BEARER,
        client_assertion: assertion,
      },
    },
    rules: DEFAULT_AZURE_RULES,
    world: offlineWorld(PLACEHOLDER_ID, clientId, input.displayName ?? 'to explain', fics),
    env: { nowMs: input.now.getTime() },
    facts: {},
  }
  const run = runAzureChainOffline(exchange)
  const failure = run.failed?.failure
  const closest = closestOf(exchange)
  const base = {
    cloud: 'azure' as const,
    decision: failure === undefined ? ('allowed' as const) : ('denied' as const),
    ...(failure === undefined
      ? {}
      : {
          azureError: {
            code: failure.code,
            error: failure.error,
            httpStatus: failure.httpStatus,
            message: failure.message,
            reason: failure.reason,
          },
        }),
    steps: stepsOf(run),
    closest: closest.closest,
    refused,
    claims: exchange.facts.claims ?? {},
    clientId,
    signatureChecked: false as const,
  }
  return { ...base, lines: renderAzureLines(base, closest.lines, exchange.facts.resource) }
}
