/**
 * `explainWebIdentity`: what STS would answer for this token against this role. It runs the AWS
 * chain of src/federation/aws/ (the one the emulator runs online) offline, to the end, so every
 * step shows (docs/aws-behaviour.md §3); the answer is the first failure, or the assumed-role ARN.
 */
import { assumedRoleArnOf } from '../../../federation/aws/assumed-role.js'
import { runAwsChainOffline, type AwsChainRun } from '../../../federation/aws/chain.js'
import { DEFAULT_AWS_RULES, type AwsExchange } from '../../../federation/aws/exchange.js'
import { toBase64url } from '../../../federation/base64url.js'
import { parsePolicy, type Policy } from '../../../policy/index.js'
import { KeylessError } from '../../../shared/errors.js'
import { decodeToken } from '../../token/decode.js'
import { renderLines } from './render.js'
import type { ExplainInput, ExplainStep, Explanation } from './types.js'
import { offlineWorld, roleOf } from './world.js'

/** The token itself, or an unsigned stand-in carrying the claims (its signature is never read). */
function compactOf(input: ExplainInput): string {
  if (input.token !== undefined) return input.token
  if (input.claims === undefined)
    throw new KeylessError('usage_error', 'explain needs a token or the claims of one')
  const header = { alg: 'RS256', typ: 'JWT', kid: 'preview' }
  return [header, input.claims]
    .map((part) => toBase64url(JSON.stringify(part)))
    .concat('unsigned-preview')
    .join('.')
}

function policyOf(text: string): Policy {
  const parsed = parsePolicy(text)
  if (!parsed.ok)
    throw new KeylessError(
      'input_unreadable',
      `the trust policy is not a policy: ${parsed.error.message}`,
    )
  return parsed.policy
}

function stepsOf(run: AwsChainRun): ExplainStep[] {
  return run.outcomes.map(({ step, verdict }) => ({
    step,
    status: verdict.status === 'pass' ? 'ok' : verdict.status,
    detail: verdict.detail,
  }))
}

/** Explains, offline, what AssumeRoleWithWebIdentity would answer. */
export function explainWebIdentity(input: ExplainInput): Explanation {
  const compact = compactOf(input)
  const token = decodeToken(compact, input.now)
  const policy = policyOf(input.trustPolicy)
  const iss = token.claims['iss']
  const role = roleOf(input.roleArn, policy, typeof iss === 'string' ? iss : undefined)
  const deploymentId = token.claims['deploymentId']
  const roleSessionName =
    input.roleSessionName ?? (typeof deploymentId === 'string' ? deploymentId : 'keyless-explain')
  const maxSessionDuration = input.maxSessionDuration ?? 3600
  const exchange: AwsExchange = {
    request: {
      roleArn: role.arn,
      roleSessionName,
      webIdentityToken: compact,
      durationSeconds: input.duration,
    },
    rules: DEFAULT_AWS_RULES,
    world: offlineWorld(role, policy, maxSessionDuration, input.provider),
    env: { now: input.now },
    facts: {},
  }
  const run = runAwsChainOffline(exchange)
  const failure = run.failed?.failure
  const base = {
    decision: failure === undefined ? ('allowed' as const) : ('denied' as const),
    ...(failure === undefined
      ? {
          assumedRoleArn: assumedRoleArnOf(
            role.partition,
            role.accountId,
            role.name,
            roleSessionName,
          ),
        }
      : {
          awsError: {
            code: failure.code,
            httpStatus: failure.httpStatus,
            message: failure.message,
          },
        }),
    steps: stepsOf(run),
    trust: exchange.facts.trust ?? null,
    token,
    roleArn: role.arn,
    roleSessionName,
    signatureChecked: false as const,
  }
  return { ...base, lines: renderLines(base) }
}
