/**
 * The decision for one provider definition (IAM v1 JSON) and one token, offline: every step of
 * the STS chain except the signature, which mapping produced which attribute, whether the
 * condition accepts, and — given a service account's policy — which binding lets the identity
 * impersonate it or which is missing. For `keyless explain --cloud gcp` and lint.
 */
import { toBase64url } from '../base64url.js'
import { traceLines } from '../chain.js'
import { runGcpChainOffline, type GcpChainRun } from './chain.js'
import {
  googleMessages,
  GRANT_TOKEN_EXCHANGE,
  TOKEN_TYPE_ACCESS,
  TOKEN_TYPE_JWT,
  type GcpFailure,
} from './errors.js'
import { DEFAULT_GCP_RULES, type GcpExchange, type GcpRules } from './exchange.js'
import { bindingLines, decideBinding, type BindingDecision, type IamPolicy } from './iam-policy.js'
import type { MappedIdentity, MappingLine } from './mapping.js'
import { parseStsAudience, principalsOf, type ProviderRef } from './names.js'
import {
  checkProvider,
  DEFAULT_PROVIDER_RULES,
  type ProviderDefinition,
  type ProviderRules,
} from './provider.js'

export interface GcpExplainInput {
  /** The provider as IAM v1 returns it; `name` (`projects/N/…/providers/P`) or `ref` locates it. */
  readonly provider: ProviderDefinition & { readonly name?: string }
  readonly ref?: ProviderRef
  /** The token's claims, or the token itself (its signature is not checked). */
  readonly claims?: Readonly<Record<string, unknown>>
  readonly token?: string
  readonly nowMs: number
  readonly rules?: Partial<GcpRules>
  readonly providerRules?: Partial<ProviderRules>
  /** With both: whether the identity may impersonate this service account. */
  readonly serviceAccountEmail?: string
  readonly policy?: IamPolicy
}

export interface GcpExplanation {
  readonly decision: 'allowed' | 'denied'
  /** The first failure: what STS (or IAM Credentials) would answer. */
  readonly failure?:
    GcpFailure | { readonly error: 'PERMISSION_DENIED'; readonly description: string }
  /** The provider definition itself is refused (Google's 400 at create). */
  readonly providerProblem?: string
  readonly steps: ReadonlyArray<{
    readonly step: string
    readonly status: string
    readonly detail: string
  }>
  readonly mapping: readonly MappingLine[]
  readonly identity?: MappedIdentity
  readonly principals: readonly string[]
  readonly binding?: BindingDecision
  /** Every line, in order, for a terminal. */
  readonly lines: readonly string[]
}

function refOf(input: GcpExplainInput): ProviderRef | undefined {
  if (input.ref !== undefined) return input.ref
  const name = input.provider.name
  if (name === undefined) return undefined
  const parsed = parseStsAudience(`//iam.googleapis.com/${name}`)
  return parsed.kind === 'provider' ? parsed.ref : undefined
}

function tokenOf(input: GcpExplainInput): string {
  if (input.token !== undefined) return input.token
  const header = toBase64url(JSON.stringify({ alg: 'RS256', kid: 'offline', typ: 'JWT' }))
  return `${header}.${toBase64url(JSON.stringify(input.claims ?? {}))}.c2lnbmF0dXJl`
}

function refused(problem: string): GcpExplanation {
  return {
    decision: 'denied',
    providerProblem: problem,
    steps: [],
    mapping: [],
    principals: [],
    lines: [`the provider definition is refused by Google: ${problem}`],
  }
}

/** Explains the decision; never throws for bad input (a bad provider is `providerProblem`). */
export function explainGcpDecision(input: GcpExplainInput): GcpExplanation {
  const checked = checkProvider(input.provider, {
    ...DEFAULT_PROVIDER_RULES,
    ...input.providerRules,
  })
  if (!checked.ok) return refused(checked.problem)
  const ref = refOf(input)
  if (ref === undefined)
    return refused(
      'the provider has no name projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<id>',
    )
  const ex: GcpExchange = {
    request: {
      fields: {
        grant_type: GRANT_TOKEN_EXCHANGE,
        requested_token_type: TOKEN_TYPE_ACCESS,
        subject_token_type: TOKEN_TYPE_JWT,
        subject_token: tokenOf(input),
        audience: `//iam.googleapis.com/projects/${ref.projectNumber}/locations/global/workloadIdentityPools/${ref.poolId}/providers/${ref.providerId}`,
        scope: 'https://www.googleapis.com/auth/cloud-platform',
      },
    },
    rules: { ...DEFAULT_GCP_RULES, ...input.rules },
    world: {
      target: () => ({
        poolState: 'active',
        providerState: checked.provider.disabled ? 'disabled' : 'active',
        provider: checked.provider,
      }),
    },
    env: { nowMs: input.nowMs },
    facts: {},
  }
  const run: GcpChainRun = runGcpChainOffline(ex)
  return withBinding(input, ex, run, ref)
}

function withBinding(
  input: GcpExplainInput,
  ex: GcpExchange,
  run: GcpChainRun,
  ref: ProviderRef,
): GcpExplanation {
  const identity = ex.facts.identity
  const steps = run.outcomes.map((o) => ({
    step: o.step,
    status: o.verdict.status,
    detail: o.verdict.status === 'fail' ? o.verdict.detail : o.verdict.detail,
  }))
  const lines = traceLines(run)
  const fed =
    identity === undefined
      ? undefined
      : { projectNumber: ref.projectNumber, poolId: ref.poolId, ...identity }
  const principals = fed === undefined ? [] : principalsOf(fed)
  const base = {
    steps,
    mapping: ex.facts.lines ?? [],
    principals,
    ...(identity === undefined ? {} : { identity }),
  }
  if (run.failed !== undefined) {
    const { failure, detail } = run.failed
    return {
      ...base,
      decision: 'denied',
      failure,
      lines: [
        ...lines,
        `→ ${failure.error}: ${detail}`,
        `Result: denied; STS answers ${failure.error} (HTTP ${failure.httpStatus}): ${failure.description}`,
      ],
    }
  }
  if (input.serviceAccountEmail === undefined || fed === undefined)
    return {
      ...base,
      decision: 'allowed',
      lines: [
        ...lines,
        'Result: allowed; STS issues a federated token (impersonation not checked: add --service-account)',
      ],
    }
  const email = input.serviceAccountEmail
  const binding = decideBinding(input.policy, fed)
  const more = bindingLines(email, binding)
  if (binding.allowed)
    return {
      ...base,
      decision: 'allowed',
      binding,
      lines: [
        ...lines,
        ...more,
        `Result: allowed; STS issues a federated token and IAM Credentials an access token for ${email}`,
      ],
    }
  return {
    ...base,
    decision: 'denied',
    binding,
    failure: { error: 'PERMISSION_DENIED', description: `the caller may not impersonate ${email}` },
    lines: [
      ...lines,
      ...more,
      `Result: denied; generateAccessToken answers PERMISSION_DENIED (HTTP 403): ${googleMessages.permissionDenied}`,
    ],
  }
}
