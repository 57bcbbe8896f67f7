/**
 * Step 9b: the role's trust policy for sts:AssumeRoleWithWebIdentity, plus sts:TagSession /
 * sts:SetSourceIdentity when the token carries them (docs/aws-behaviour.md §10–§12).
 */
import {
  evaluateWebIdentityTrust,
  explainLines,
  type TrustExplanation,
  type WebIdentityTrustResult,
} from '../../../policy/index.js'
import { awsMessages } from '../errors.js'
import type { AwsExchange } from '../exchange.js'
import { fail, pass, skipped, type AwsStep } from '../step.js'

function evaluate(x: AwsExchange): WebIdentityTrustResult | undefined {
  const { request, facts, world, env } = x
  const { role, providerUrl, providerArn, claims } = facts
  if (role?.trustPolicy === undefined || providerUrl === undefined || claims === undefined)
    return undefined
  return evaluateWebIdentityTrust({
    trustPolicy: role.trustPolicy,
    roleArn: role.arn,
    accountId: world.accountId,
    provider: { arn: facts.provider?.arn ?? providerArn ?? '', url: providerUrl },
    // `<provider>:aud` is the matched client ID, also for an array-valued aud (§4, §11).
    claims: facts.audience === undefined ? claims : { ...claims, aud: facts.audience },
    roleSessionName: request.roleSessionName,
    sessionTags: facts.tags ?? [],
    transitiveTagKeys: facts.transitiveTagKeys ?? [],
    ...(facts.sourceIdentity === undefined ? {} : { sourceIdentity: facts.sourceIdentity }),
    requestTime: env.now,
    ...(env.sourceIp === undefined ? {} : { sourceIp: env.sourceIp }),
    ...(env.userAgent === undefined ? {} : { userAgent: env.userAgent }),
    ...(env.secureTransport === undefined ? {} : { secureTransport: env.secureTransport }),
  })
}

export const trustPolicyStep: AwsStep = {
  name: 'trust-policy',
  check(x) {
    let trust: WebIdentityTrustResult | undefined
    try {
      trust = evaluate(x)
    } catch (error) {
      return fail(
        'trust-policy-unreadable',
        'AccessDenied',
        awsMessages.notAuthorized,
        'the policy engine failed on this trust policy',
        { cause: error },
      )
    }
    if (trust === undefined) return skipped('not evaluated: no provider for this token')
    x.facts.trust = trust
    // The trace keeps what it prints (a decision log holds it), not the request context.
    const explained: TrustExplanation = {
      decision: trust.decision,
      summary: trust.summary,
      checks: trust.checks,
    }
    const roleArn = x.facts.role?.arn ?? x.request.roleArn
    const trace = (): string[] => [
      `trust policy of ${roleArn}: ${explained.summary}`,
      ...explainLines(explained),
    ]
    if (trust.decision !== 'Allowed')
      return fail(
        'trust-policy-denied',
        'AccessDenied',
        awsMessages.notAuthorized,
        `${trust.decision}${trust.deniedAction === undefined ? '' : ` for ${trust.deniedAction}`}: ${trust.summary}`,
        { trace },
      )
    return pass(`allowed: ${trust.checks.map((c) => c.action).join(' and ')}`, trace)
  },
}
