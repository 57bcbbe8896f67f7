/**
 * Step 9b: the role's trust policy for sts:AssumeRoleWithWebIdentity, plus sts:TagSession /
 * sts:SetSourceIdentity when the token carries them (docs/aws-behaviour.md §10–§12).
 */
import {
  evaluateWebIdentityTrust,
  explainLines,
  type WebIdentityTrustInput,
  type WebIdentityTrustResult,
} from '../../../policy/index.js'
import { awsMessages } from '../errors.js'
import type { AwsExchange } from '../exchange.js'
import { fail, pass, skipped, type AwsStep } from '../step.js'

/** No tags, no keys: one array for every request (a kept trace holds its input). */
const NONE: readonly never[] = Object.freeze([])

/** What the trust policy is evaluated on; undefined when the chain found no role or provider. */
function trustInput(x: AwsExchange): WebIdentityTrustInput | undefined {
  const { request, facts, world, env } = x
  const { role, providerUrl, providerArn, claims } = facts
  if (role?.trustPolicy === undefined || providerUrl === undefined || claims === undefined)
    return undefined
  return {
    trustPolicy: role.trustPolicy,
    roleArn: role.arn,
    accountId: world.accountId,
    provider: { arn: facts.provider?.arn ?? providerArn ?? '', url: providerUrl },
    claims,
    // `<provider>:aud` is the matched client ID, also for an array-valued aud (§4, §11).
    ...(facts.audience === undefined ? {} : { audience: facts.audience }),
    roleSessionName: request.roleSessionName,
    sessionTags: facts.tags ?? NONE,
    transitiveTagKeys: facts.transitiveTagKeys ?? NONE,
    ...(facts.sourceIdentity === undefined ? {} : { sourceIdentity: facts.sourceIdentity }),
    requestTime: env.now,
    ...(env.sourceIp === undefined ? {} : { sourceIp: env.sourceIp }),
    ...(env.userAgent === undefined ? {} : { userAgent: env.userAgent }),
    ...(env.secureTransport === undefined ? {} : { secureTransport: env.secureTransport }),
  }
}

/**
 * The trace the decision log keeps: the evaluation's input, evaluated again when the log is read
 * (evaluation is a pure function of its input, and the parsed policy is shared and never changed).
 * Keeping the input instead of the result (its statements, conditions and texts) keeps a
 * decision to about a third of the heap; every request was still evaluated when it came.
 */
function traceOf(input: WebIdentityTrustInput): () => string[] {
  return () => {
    const trust = evaluateWebIdentityTrust(input)
    return [`trust policy of ${input.roleArn}: ${trust.summary}`, ...explainLines(trust)]
  }
}

export const trustPolicyStep: AwsStep = {
  name: 'trust-policy',
  check(x) {
    const input = trustInput(x)
    if (input === undefined) return skipped('not evaluated: no provider for this token')
    let trust: WebIdentityTrustResult
    try {
      trust = evaluateWebIdentityTrust(input)
    } catch (error) {
      return fail(
        'trust-policy-unreadable',
        'AccessDenied',
        awsMessages.notAuthorized,
        'the policy engine failed on this trust policy',
        { cause: error },
      )
    }
    x.facts.trust = trust
    const trace = traceOf(input)
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
