import { decodeJwt } from 'jose'
import {
  AWS_FAILURE_REASONS,
  identifyAwsFailure,
  type AwsFailureReason,
} from '../federation/aws/errors.js'
import { parseRoleArn, type RoleArn } from '../shared/arn.js'
import type { RoleSource } from '../shared/contracts/common.js'
import {
  conditionTable,
  EMULATOR_EXPLAINS,
  parseExplanationLines,
} from '../shared/explanation/index.js'

/**
 * Turns a failed AssumeRoleWithWebIdentity into a message a person can act on (docs/deployments.md,
 * "When the exchange fails"): AWS's code and message, the token's `iss`/`aud`/`sub`, the role and
 * where it came from, the duration asked, what usually causes this code, and — when the
 * endpoint is the keyless emulator — its explanation of which condition failed. The headline is
 * chosen by reason (src/federation: AWS's code and exact message, or the emulator's own reason),
 * never by matching message text here.
 */
export interface ExchangeFailureContext {
  readonly awsCode: string
  readonly awsMessage: string
  readonly roleArn: string
  readonly roleSource: RoleSource
  readonly durationSeconds: number
  readonly endpoint: string
  readonly token: string
  readonly sessionTags: boolean
  /** Lines of the emulator's decision explanation, when the endpoint is the keyless emulator. */
  readonly emulatorExplanation?: readonly string[]
  /** The emulator's reason for the decision (`role-not-found`, …), which AWS's answer hides. */
  readonly emulatorReason?: string
}

export interface DescribedFailure {
  readonly code: string
  readonly message: string
  readonly explanation?: string[]
}

export interface TokenFacts {
  readonly iss: string
  readonly aud: string
  readonly sub: string
}

/** The token's iss, aud and sub, read without verification (for messages only). */
export function tokenFacts(token: string): TokenFacts {
  try {
    const claims = decodeJwt(token)
    const aud = Array.isArray(claims.aud) ? claims.aud.join(',') : (claims.aud ?? '(none)')
    return { iss: claims.iss ?? '(none)', aud, sub: claims.sub ?? '(none)' }
  } catch {
    return { iss: '(unreadable)', aud: '(unreadable)', sub: '(unreadable)' }
  }
}

export function describeExchangeFailure(ctx: ExchangeFailureContext): DescribedFailure {
  const facts = tokenFacts(ctx.token)
  const host = facts.iss.replace(/^https?:\/\//u, '').replace(/\/$/u, '')
  const headline = headlineFor(ctx, facts, host, parseRoleArn(ctx.roleArn))
  const lines = [
    headline,
    `  AWS said:  ${ctx.awsCode}: ${ctx.awsMessage}`,
    `  role:      ${ctx.roleArn} (from ${ctx.roleSource})`,
    `  duration:  ${ctx.durationSeconds} s asked`,
    `  token:     iss=${facts.iss} aud=${facts.aud} sub=${facts.sub}`,
    `  endpoint:  ${ctx.endpoint}`,
  ]
  const explanation = ctx.emulatorExplanation
  if (explanation !== undefined && explanation.length > 0) {
    lines.push(`  ${EMULATOR_EXPLAINS}`)
    lines.push(...explanationBlock(explanation, '    '))
  }
  return {
    code: ctx.awsCode,
    message: lines.join('\n'),
    ...(explanation === undefined ? {} : { explanation: [...explanation] }),
  }
}

/**
 * The emulator's explanation as printed: the trust policy's conditions as a table (statement,
 * key, operator, token's value, policy's value(s), ✓/✗, the differing part «marked») and its
 * verdict line; an explanation without conditions (a missing role, an expired token) as it came.
 */
export function explanationBlock(explanation: readonly string[], indent: string): string[] {
  const rows = parseExplanationLines(explanation)
  if (rows.length === 0) return explanation.map((line) => `${indent}${line}`)
  const verdict = explanation.filter((l) => /^\s*(→|Result:)/u.test(l)).map((l) => l.trim())
  return [...conditionTable(rows, indent), ...verdict.map((l) => `${indent}${l}`)]
}

type Headline = (ctx: ExchangeFailureContext, facts: TokenFacts, names: Names) => string

interface Names {
  /** The issuer without its scheme: the provider's name in IAM. */
  readonly host: string
  readonly role: string
  readonly account: string
}

function trustPolicyDenied(ctx: ExchangeFailureContext, facts: TokenFacts, n: Names): string {
  const tags = ctx.sessionTags
    ? ` This credential sends session tags, so the trust policy must also allow sts:TagSession.`
    : ''
  // With the emulator's conditions, the table below shows the values; the headline names the keys.
  const unmet = parseExplanationLines(ctx.emulatorExplanation ?? []).filter((r) => !r.met)
  if (unmet.length > 0) {
    const keys = [...new Set(unmet.map((r) => `${r.operator} ${r.key}`))].join(', ')
    return (
      `The trust policy of ${n.role} does not accept this token: ` +
      `${unmet.length === 1 ? 'a condition is' : `${unmet.length} conditions are`} not met (${keys}); ` +
      `the table below shows the token's value beside the policy's, the difference «marked».${tags} ` +
      `Compare with what keyless setup aws generates, or ask keyless explain.`
    )
  }
  // The emulator's one-line reason, when there is one ("Denied: the token's sub is …").
  const reason = ctx.emulatorExplanation
    ?.find((l) => /^Denied: /u.test(l.trim()))
    ?.trim()
    .replace(/^Denied: /u, '')
    .replace(/\.$/u, '')
  // Real AWS answers the same AccessDenied for a missing role; only the emulator tells them apart.
  const missing =
    ctx.emulatorReason === undefined && ctx.emulatorExplanation === undefined
      ? ' (or the role does not exist: AWS answers both alike)'
      : ''
  return (
    `The trust policy of ${n.role} does not accept this token${reason === undefined ? '' : `: ${reason}`}${missing}. It must allow sts:AssumeRoleWithWebIdentity ` +
    `for the provider ${n.host} with conditions that match ${n.host}:aud = "${facts.aud}" and ${n.host}:sub = "${facts.sub}".${tags} ` +
    `Compare with what keyless setup aws generates, or ask keyless explain.`
  )
}

/** One headline per reason of src/federation/aws/errors.ts: what a person has to fix. */
const HEADLINES: Partial<Record<AwsFailureReason, Headline>> = {
  'duration-exceeds-max': (ctx, _f, n) =>
    `The requested DurationSeconds (${ctx.durationSeconds}) exceeds the MaxSessionDuration set for the role ${n.role}. ` +
    `Lower the credential's durationSeconds to at most the role's MaxSessionDuration, or raise it ` +
    `(aws iam update-role --role-name ${n.role} --max-session-duration ${ctx.durationSeconds}).`,
  'duration-chaining-limit': (ctx) =>
    `The requested DurationSeconds (${ctx.durationSeconds}) exceeds the 1 hour limit of role chaining: lower the credential's durationSeconds to 3600.`,
  'audience-not-registered': (_c, f, n) =>
    `The token's audience "${f.aud}" is not a client ID of the role account's OIDC provider for ${n.host}. ` +
    `Add it to the provider's client ID list (aws iam add-client-id-to-open-id-connect-provider --client-id ${f.aud} …), ` +
    `or change the organization's audience back to what the provider lists.`,
  'provider-not-found': (_c, f) =>
    `The role's account has no IAM OIDC provider for the issuer ${f.iss}: create one (keyless setup aws prints how).`,
  'keys-unavailable': (_c, f) =>
    `AWS could not fetch the signing keys of ${f.iss}: the issuer's discovery document and JWKS must be reachable from AWS.`,
  'token-expired': () =>
    `The token had expired when AWS checked it: compare the clocks of keyless and AWS, and the token lifetime (--token-ttl).`,
  'token-too-old': () =>
    `The token was too old when AWS checked it: compare the clocks of keyless and AWS, and the token lifetime (--token-ttl).`,
  'role-not-found': (ctx, _f, n) =>
    `The role ${n.role} does not exist in the account ${n.account} (NoSuchEntity): create it (keyless setup aws prints how), ` +
    `or correct the role ARN (from ${ctx.roleSource}). AWS answers AccessDenied for a missing role as for a refusing trust policy; the keyless emulator tells them apart.`,
  'trust-policy-unreadable': (_c, _f, n) =>
    `The trust policy of ${n.role} cannot be read (it does not parse): fix it, or regenerate it with keyless setup aws.`,
  'trust-policy-denied': trustPolicyDenied,
  'idp-unreachable': (_c, f) =>
    `AWS could not reach the identity provider ${f.iss} (often transient): retry the deployment.`,
  'region-disabled': () =>
    `STS is not activated in the credential's region for this account: activate it in IAM, or pick another region.`,
}

function headlineFor(
  ctx: ExchangeFailureContext,
  facts: TokenFacts,
  host: string,
  role: RoleArn | undefined,
): string {
  if (ctx.awsCode === 'NetworkingError')
    return `The STS endpoint ${ctx.endpoint} could not be reached from the agent.`
  const known = (AWS_FAILURE_REASONS as readonly string[]).includes(ctx.emulatorReason ?? '')
  const reason = known
    ? (ctx.emulatorReason as AwsFailureReason)
    : identifyAwsFailure(ctx.awsCode, ctx.awsMessage)
  const headline = reason === undefined ? undefined : HEADLINES[reason]
  const names = {
    host,
    role: role?.roleName ?? ctx.roleArn,
    account: role?.accountId ?? 'of the role',
  }
  return (
    headline?.(ctx, facts, names) ?? `AssumeRoleWithWebIdentity failed for the role ${ctx.roleArn}.`
  )
}
