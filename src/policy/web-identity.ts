/**
 * The trust-policy front door for AssumeRoleWithWebIdentity: builds the request context exactly
 * as AWS does (docs/aws-behaviour.md §10–§11) and evaluates every action the call needs — always
 * `sts:AssumeRoleWithWebIdentity`, plus `sts:TagSession` when the token carries session tags and
 * `sts:SetSourceIdentity` when it carries a source identity. All must be allowed.
 */
import { boundedMemo } from '../shared/bounded-memo.js'
import { contextOf } from './evaluate/context.js'
import type { KeyLabeler } from './evaluate/describe.js'
import { evaluateWith } from './evaluate/evaluate.js'
import type {
  Decision,
  EvaluationResult,
  FailingCondition,
  WebIdentityTrustInput,
  WebIdentityTrustResult,
} from './types.js'

export const ASSUME_ROLE_WITH_WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity'
export const TAG_SESSION = 'sts:TagSession'
export const SET_SOURCE_IDENTITY = 'sts:SetSourceIdentity'

const GOOGLE = 'accounts.google.com'

/** The claims AWS turns into `<provider>:<claim>` keys for any OIDC provider. */
export const GENERIC_CLAIM_KEYS = ['aud', 'sub', 'azp', 'amr'] as const

/**
 * Issuers for which STS also passes selected claims to trust policies (2026,
 * docs/aws-behaviour.md §11): only during the trust evaluation, only for these issuers. Claims
 * that are not strings are left out.
 */
export const ISSUER_CLAIM_KEYS: Readonly<Record<string, readonly string[]>> = {
  'token.actions.githubusercontent.com': [
    'actor',
    'actor_id',
    'job_workflow_ref',
    'repository',
    'repository_id',
    'workflow',
    'ref',
    'environment',
    'enterprise_id',
  ],
}

/** Every `<provider>:` key STS may put into the trust-policy context for this provider URL. */
export function providerKeysOf(providerUrl: string): readonly string[] {
  return [
    ...GENERIC_CLAIM_KEYS,
    ...(ISSUER_CLAIM_KEYS[providerUrl] ?? []),
    ...(providerUrl === GOOGLE ? ['oaud'] : []),
  ]
}

/** The `<provider>:<claim>` key names of one provider URL. */
interface ProviderKeyNames {
  readonly aud: string
  readonly oaud: string
  readonly sub: string
  readonly azp: string
  readonly amr: string
  /** The issuer's own claims (ISSUER_CLAIM_KEYS), each with its key name. */
  readonly issuer: ReadonlyArray<readonly [claim: string, key: string]>
}

/**
 * Key names are pure functions of the provider URL: built once per URL, not on every request
 * (each new key text would be hashed and interned again when stored).
 */
const keyNamesOf = boundedMemo(256, (p): ProviderKeyNames => ({
  aud: `${p}:aud`,
  oaud: `${p}:oaud`,
  sub: `${p}:sub`,
  azp: `${p}:azp`,
  amr: `${p}:amr`,
  issuer: (ISSUER_CLAIM_KEYS[p] ?? []).map((claim) => [claim, `${p}:${claim}`] as const),
}))

/** The request context AWS builds for AssumeRoleWithWebIdentity (custom claims are absent). */
export function webIdentityContext(
  input: WebIdentityTrustInput,
): Record<string, string | readonly string[]> {
  const p = input.provider.url
  const keys = keyNamesOf(p)
  const ctx: Record<string, string | readonly string[]> = {}
  const aud = input.audience ?? audienceOf(input.claims['aud'])
  const azp = input.claims['azp']
  if (p === GOOGLE && typeof azp === 'string') {
    // Google only (docs/aws-behaviour.md §4): `:aud` is the azp claim when set, `:oaud` the token's
    // own aud.
    ctx[keys.aud] = azp
    if (aud !== undefined) ctx[keys.oaud] = aud
  } else if (aud !== undefined) ctx[keys.aud] = aud
  const sub = input.claims['sub']
  if (typeof sub === 'string') ctx[keys.sub] = sub
  if (typeof azp === 'string') ctx[keys.azp] = azp
  for (const [claim, key] of keys.issuer) {
    const v = input.claims[claim]
    if (typeof v === 'string') ctx[key] = v
  }
  const amr = input.claims['amr']
  if (typeof amr === 'string') ctx[keys.amr] = [amr]
  else if (Array.isArray(amr)) ctx[keys.amr] = amr.filter((v): v is string => typeof v === 'string')
  ctx['sts:RoleSessionName'] = input.roleSessionName
  if (input.sessionTags.length > 0) {
    for (const tag of input.sessionTags) ctx[`aws:RequestTag/${tag.key}`] = tag.value
    ctx['aws:TagKeys'] = input.sessionTags.map((t) => t.key)
    if (input.transitiveTagKeys.length > 0)
      ctx['sts:TransitiveTagKeys'] = [...input.transitiveTagKeys]
  }
  if (input.sourceIdentity !== undefined) ctx['sts:SourceIdentity'] = input.sourceIdentity
  ctx['aws:FederatedProvider'] = input.provider.arn
  const second = Math.floor(input.requestTime.getTime() / 1000)
  ctx['aws:CurrentTime'] = currentTimeText(second)
  ctx['aws:EpochTime'] = String(second)
  if (input.sourceIp !== undefined) ctx['aws:SourceIp'] = input.sourceIp
  if (input.userAgent !== undefined) ctx['aws:UserAgent'] = input.userAgent
  if (input.secureTransport !== undefined)
    ctx['aws:SecureTransport'] = input.secureTransport ? 'true' : 'false'
  if (input.requestedRegion !== undefined) ctx['aws:RequestedRegion'] = input.requestedRegion
  return ctx
}

// Requests of one second share `aws:CurrentTime`: a one-entry memo (pure).
let lastSecond = Number.NaN
let lastText = ''

function currentTimeText(second: number): string {
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z')
    lastSecond = second
  }
  return lastText
}

function audienceOf(aud: unknown): string | undefined {
  if (typeof aud === 'string') return aud
  if (Array.isArray(aud) && typeof aud[0] === 'string') return aud[0]
  return undefined
}

/** Labels for messages: `the token's sub`, `the session tag Project`, … */
function labeler(providerUrl: string): KeyLabeler {
  const prefix = `${providerUrl.toLowerCase()}:`
  return {
    name: (lower, written) => {
      if (lower.startsWith(prefix)) return `the token's ${written.slice(prefix.length)}`
      if (lower.startsWith('aws:requesttag/')) return `the session tag \`${written.slice(15)}\``
      switch (lower) {
        case 'aws:tagkeys':
          return 'the session tag keys'
        case 'sts:transitivetagkeys':
          return 'the transitive tag keys'
        case 'sts:rolesessionname':
          return 'the RoleSessionName'
        case 'sts:sourceidentity':
          return 'the source identity'
        case 'aws:sourceip':
          return 'the source IP'
        case 'aws:currenttime':
          return 'the request time'
        default:
          return `\`${written}\``
      }
    },
    absent: (lower) => {
      if (lower.startsWith(prefix)) {
        const claim = lower.slice(prefix.length)
        return providerKeysOf(providerUrl).includes(claim)
          ? `the token has no ${claim} claim`
          : `AWS passes only the aud, sub, azp and amr claims of an OIDC token to trust policies`
      }
      if (lower.startsWith('aws:requesttag/') || lower === 'aws:tagkeys')
        return 'the token carries no such session tag'
      const colon = lower.lastIndexOf(':')
      if (colon > 0 && !lower.startsWith('aws:') && !lower.startsWith('sts:'))
        return `the provider of this token is ${providerUrl}, so its keys start with \`${providerUrl}:\``
      return undefined
    },
  }
}

/** Labelers are pure functions of the provider URL: one per URL, not one per evaluation. */
const labelerOf = boundedMemo(256, labeler)

/** Decides AssumeRoleWithWebIdentity against a role's trust policy, as AWS does. */
export function evaluateWebIdentityTrust(input: WebIdentityTrustInput): WebIdentityTrustResult {
  const context = webIdentityContext(input)
  const ctx = contextOf(context)
  const label = labelerOf(input.provider.url)
  const principal = { type: 'Federated', id: input.provider.arn } as const
  const actions = [ASSUME_ROLE_WITH_WEB_IDENTITY]
  if (input.sessionTags.length > 0) actions.push(TAG_SESSION)
  if (input.sourceIdentity !== undefined) actions.push(SET_SOURCE_IDENTITY)
  const policies = [input.trustPolicy]
  const checks: Array<{ action: string; result: EvaluationResult }> = []
  let denied: { action: string; result: EvaluationResult } | undefined
  for (const action of actions) {
    const check = {
      action,
      result: evaluateWith({ principal, action, context }, policies, ctx, label),
    }
    checks.push(check)
    if (denied === undefined && check.result.decision !== 'Allowed') denied = check
  }
  const decision: Decision = denied === undefined ? 'Allowed' : denied.result.decision
  const failing: readonly FailingCondition[] = denied?.result.failing ?? []
  return {
    decision,
    ...(denied === undefined ? {} : { deniedAction: denied.action }),
    checks,
    failing,
    summary: summarize(input, checks, denied),
    context,
  }
}

function summarize(
  input: WebIdentityTrustInput,
  checks: ReadonlyArray<{ action: string; result: EvaluationResult }>,
  denied: { action: string; result: EvaluationResult } | undefined,
): string {
  if (denied === undefined) {
    const by = checks
      .map(
        (c) =>
          `${c.action} by ${c.result.statements.find((s) => s.applies && s.effect === 'Allow')?.statement ?? '?'}`,
      )
      .join(', ')
    return `Allowed: the trust policy of ${input.roleArn} allows ${by}.`
  }
  const why =
    denied.action === TAG_SESSION
      ? ' (required because the token carries session tags)'
      : denied.action === SET_SOURCE_IDENTITY
        ? ' (required because the token carries a source identity)'
        : ''
  const r = denied.result
  if (r.decision === 'ExplicitlyDenied') {
    const s = r.statements.find((x) => x.applies && x.effect === 'Deny')
    return `Denied: Deny statement ${s?.statement ?? '?'} of the trust policy of ${input.roleArn} matches ${denied.action}${why}.`
  }
  if (r.failing.length > 0) {
    return `Denied: ${denied.action}${why} is not allowed: ${r.failing.map((f) => f.message).join('; and ')}.`
  }
  const principalOk = r.statements.some((s) => s.effect === 'Allow' && s.principalMatched !== false)
  return principalOk
    ? `Denied: no Allow statement of the trust policy of ${input.roleArn} covers the action ${denied.action}${why}.`
    : `Denied: no Allow statement of the trust policy of ${input.roleArn} names the principal ${input.provider.arn}.`
}
