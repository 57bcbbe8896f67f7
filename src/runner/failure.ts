import { decodeJwt } from 'jose'
import { parseRoleArn } from '../shared/arn.js'
import type { RoleSource } from '../shared/contracts/common.js'
import { conditionTable, parseExplanationLines } from '../shared/explanation/index.js'

/**
 * Turns a failed AssumeRoleWithWebIdentity into a message a person can act on (docs/deployments.md,
 * "When the exchange fails"): AWS's code and message, the token's `iss`/`aud`/`sub`, the role and
 * where it came from, the duration asked, what usually causes this code, and — when the
 * endpoint is the keyless emulator — its explanation of which condition failed.
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
  const role = parseRoleArn(ctx.roleArn)
  const headline = headlineFor(ctx, facts, host, role?.roleName)
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
    lines.push('  the keyless emulator explains:')
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

function headlineFor(
  ctx: ExchangeFailureContext,
  facts: TokenFacts,
  host: string,
  roleName: string | undefined,
): string {
  const m = ctx.awsMessage
  if (ctx.awsCode === 'ValidationError' && /MaxSessionDuration/u.test(m)) {
    return (
      `The requested DurationSeconds (${ctx.durationSeconds}) exceeds the MaxSessionDuration set for the role ${roleName ?? ctx.roleArn}. ` +
      `Lower the credential's durationSeconds to at most the role's MaxSessionDuration, or raise it ` +
      `(aws iam update-role --role-name ${roleName ?? '<role>'} --max-session-duration ${ctx.durationSeconds}).`
    )
  }
  if (ctx.awsCode === 'ValidationError' && /1 hour session limit/u.test(m)) {
    return `The requested DurationSeconds (${ctx.durationSeconds}) exceeds the 1 hour limit of role chaining: lower the credential's durationSeconds to 3600.`
  }
  if (ctx.awsCode === 'InvalidIdentityToken' && /audience/iu.test(m)) {
    return (
      `The token's audience "${facts.aud}" is not a client ID of the role account's OIDC provider for ${host}. ` +
      `Add it to the provider's client ID list (aws iam add-client-id-to-open-id-connect-provider --client-id ${facts.aud} …), ` +
      `or change the organization's audience back to what the provider lists.`
    )
  }
  if (ctx.awsCode === 'InvalidIdentityToken' && /No OpenIDConnect provider/u.test(m)) {
    return `The role's account has no IAM OIDC provider for the issuer ${facts.iss}: create one (keyless setup aws prints how).`
  }
  if (ctx.awsCode === 'InvalidIdentityToken' && /verification key/u.test(m)) {
    return `AWS could not fetch the signing keys of ${facts.iss}: the issuer's discovery document and JWKS must be reachable from AWS.`
  }
  if (ctx.awsCode === 'ExpiredTokenException' || ctx.awsCode === 'ExpiredToken') {
    return `The token had expired when AWS checked it: compare the clocks of keyless and AWS, and the token lifetime (--token-ttl).`
  }
  if (ctx.awsCode === 'AccessDenied') {
    const tags = ctx.sessionTags
      ? ` This credential sends session tags, so the trust policy must also allow sts:TagSession.`
      : ''
    // With the emulator's conditions, the table below shows the values; the headline names the keys.
    const unmet = parseExplanationLines(ctx.emulatorExplanation ?? []).filter((r) => !r.met)
    if (unmet.length > 0) {
      const keys = [...new Set(unmet.map((r) => `${r.operator} ${r.key}`))].join(', ')
      return (
        `The trust policy of ${roleName ?? ctx.roleArn} does not accept this token: ` +
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
    return (
      `The trust policy of ${roleName ?? ctx.roleArn} does not accept this token${reason === undefined ? '' : `: ${reason}`}. It must allow sts:AssumeRoleWithWebIdentity ` +
      `for the provider ${host} with conditions that match ${host}:aud = "${facts.aud}" and ${host}:sub = "${facts.sub}".${tags} ` +
      `Compare with what keyless setup aws generates, or ask keyless explain.`
    )
  }
  if (ctx.awsCode === 'IDPCommunicationError') {
    return `AWS could not reach the identity provider ${facts.iss} (often transient): retry the deployment.`
  }
  if (ctx.awsCode === 'RegionDisabledException') {
    return `STS is not activated in the credential's region for this account: activate it in IAM, or pick another region.`
  }
  if (ctx.awsCode === 'NetworkingError') {
    return `The STS endpoint ${ctx.endpoint} could not be reached from the agent.`
  }
  return `AssumeRoleWithWebIdentity failed for the role ${ctx.roleArn}.`
}
