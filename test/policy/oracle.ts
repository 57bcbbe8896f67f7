/**
 * Runs a policy vector through @cloud-copilot/iam-simulate (AGPL-3.0: a devDependency used only
 * from test/ and bench/, never from src/). It does not know a generic OIDC issuer's keys, so
 * web-identity cases are shown to it with the issuer renamed to `accounts.google.com`, whose
 * `:aud`/`:sub` keys it does evaluate; whatever keys it still ignores make the case unjudgeable.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate'
import { webIdentityContext } from '../../src/policy/web-identity.js'
import { isEvaluate, isWebIdentity, webIdentityInput, type VectorCase } from './vectors.js'

const ACCOUNT = '111122223333'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/R`

export type OracleVerdict = { judged: true; decision: string } | { judged: false; reason: string }

function toObject(policy: unknown): unknown {
  return typeof policy === 'string' ? (JSON.parse(policy) as unknown) : policy
}

function contextVariables(context: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(context))
    out[k] = Array.isArray(v) ? v.map(String) : String(v)
  return out
}

async function simulate(
  principal: string,
  action: string,
  resource: string,
  context: Record<string, string | string[]>,
  identityPolicies: unknown[],
  resourcePolicy: unknown,
): Promise<OracleVerdict> {
  const result = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: context,
      },
      identityPolicies: identityPolicies.map((policy, i) => ({ name: `p${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy === undefined ? {} : { resourcePolicy }),
    },
    {},
  )
  if (result.resultType === 'error')
    return { judged: false, reason: `oracle refused: ${result.errors.message}` }
  if (result.resultType !== 'single') return { judged: false, reason: 'wildcard resource' }
  const ignored = result.result.ignoredContextKeys ?? []
  if (ignored.length > 0) return { judged: false, reason: `oracle ignores ${ignored.join(', ')}` }
  return { judged: true, decision: result.overallResult }
}

/** The oracle's decision for a case, or why it cannot judge it. */
export async function oracleDecision(c: VectorCase): Promise<OracleVerdict> {
  if ('oracle' in c && typeof c.oracle === 'string') return { judged: false, reason: c.oracle }
  if (isEvaluate(c)) {
    if (c.request.principal !== undefined)
      return { judged: false, reason: 'principal cases are judged as trust policies' }
    return simulate(
      ROLE,
      c.request.action,
      c.request.resource ?? '*',
      contextVariables(c.request.context),
      c.policies.map(toObject),
      undefined,
    )
  }
  if (isWebIdentity(c)) {
    const rename = (x: unknown): unknown =>
      JSON.parse(
        JSON.stringify(x).replace(/idp\.example\.com/giu, 'accounts.google.com'),
      ) as unknown
    const input = webIdentityInput(c)
    const context = contextVariables(rename(webIdentityContext(input)) as Record<string, unknown>)
    // iam-simulate validates aws:FederatedProvider as an ARN-free key; leave it out.
    delete context['aws:FederatedProvider']
    const provider = rename(input.provider.arn) as string
    const trust = rename(toObject(c.webIdentity.trustPolicy))
    const actions = ['sts:AssumeRoleWithWebIdentity']
    if (input.sessionTags.length > 0) actions.push('sts:TagSession')
    if (input.sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity')
    for (const action of actions) {
      const v = await simulate(provider, action, ROLE, context, [], trust)
      if (!v.judged || v.decision !== 'Allowed') return v
    }
    return { judged: true, decision: 'Allowed' }
  }
  return { judged: false, reason: 'parse and validation cases are not evaluations' }
}
