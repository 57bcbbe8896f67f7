/**
 * `POST /environments/{id}/trust/explain`: what AWS would answer for the environment's next token
 * (the oidc-preview claims) against a trust policy, as `keyless explain` decides it
 * (src/trust/explain/), shown without any sensitive value.
 */
import { z } from 'zod'
import type { MintPlan, Principal } from '../../../platform/index.js'
import { deploymentTypeSchema } from '../../../shared/contracts/common.js'
import { explainResponseSchema, type ExplainResponse } from '../../../shared/contracts/trust.js'
import { redactSensitive } from '../../../shared/redact.js'
import { explainWebIdentity } from '../../../trust/explain/aws/explain.js'
import type { Explanation } from '../../../trust/explain/aws/types.js'
import type { RouteDeps } from '../../deps.js'
import { idParams, route, type AnyRoute } from '../../routing.js'
import { durationField, POLICY_MAX, policyProblem, TAG } from './common.js'

const explainBodySchema = z.strictObject({
  trustPolicy: z.string().min(1, 'paste a trust policy').max(POLICY_MAX),
  type: deploymentTypeSchema.default('deploy'),
  /** The duration the deployment would request; default the credential's (else 3600). */
  durationSeconds: durationField.optional(),
  /** The role's MaxSessionDuration; default 3600 (AWS's default). */
  maxSessionDuration: durationField.optional(),
})

type ExplainBody = z.output<typeof explainBodySchema>
type TrustResult = NonNullable<Explanation['trust']>

function statementsOf(result: TrustResult): ExplainResponse['statements'] {
  return result.checks.flatMap((check) =>
    check.result.statements.map((s, index) => ({
      index,
      statement: s.statement,
      sid: s.sid ?? null,
      effect: s.effect ?? null,
      action: check.action,
      principalMatched: s.principalMatched,
      actionMatched: s.actionMatched,
      applies: s.applies,
      conditions: s.conditions.map((c) => ({
        operator: c.operator,
        key: c.key,
        tokenValue: c.requestValues === null ? null : [...c.requestValues],
        policyValues: [...c.policyValues],
        passed: c.matched,
      })),
    })),
  )
}

function failingOf(result: TrustResult | null): ExplainResponse['failing'] {
  return (result?.failing ?? []).map((f) => ({
    statement: f.statement,
    operator: f.operator,
    key: f.key,
    tokenValue: f.requestValues === null ? null : [...f.requestValues],
    policyValues: [...f.policyValues],
    message: f.message,
  }))
}

/** The answer, in the REST shape; the caller redacts it. */
function answerOf(
  e: Explanation,
  plan: MintPlan,
  claims: Readonly<Record<string, unknown>>,
  durations: Pick<ExplainResponse, 'durationSeconds' | 'maxSessionDuration'>,
): ExplainResponse {
  const trust = e.trust
  return {
    decision: e.decision,
    awsError:
      e.awsError === undefined ? null : { code: e.awsError.code, message: e.awsError.message },
    assumedRoleArn: e.assumedRoleArn ?? null,
    summary: trust?.summary ?? '',
    signatureChecked: e.signatureChecked,
    roleArn: e.roleArn,
    roleSource: plan.roleSource,
    ...durations,
    claims: { ...claims },
    checks: e.steps.map((s) => ({
      name: s.step,
      status: s.status,
      passed: s.status !== 'fail',
      message: s.detail,
    })),
    statements: trust === null ? [] : statementsOf(trust),
    failing: failingOf(trust),
    lines: [...e.lines],
  }
}

async function explain(
  deps: RouteDeps,
  principal: Principal,
  environmentId: string,
  body: ExplainBody,
): Promise<ExplainResponse> {
  const plan = await deps.platform.previewContext(principal, environmentId, { type: body.type })
  const claims = deps.idp.previewClaims(plan.context).claims
  const roleArn = plan.roleArn ?? undefined
  const durationSeconds = body.durationSeconds ?? plan.durationSeconds ?? 3600
  const maxSessionDuration = body.maxSessionDuration ?? 3600
  let explanation: Explanation
  try {
    explanation = explainWebIdentity({
      claims,
      trustPolicy: body.trustPolicy,
      ...(roleArn === undefined ? {} : { roleArn }),
      duration: durationSeconds,
      maxSessionDuration,
      now: deps.clock.now(),
    })
  } catch (error) {
    policyProblem(error, 'trustPolicy')
  }
  // Explained with the real claims, shown without a sensitive value anywhere.
  const answer = answerOf(explanation, plan, claims, { durationSeconds, maxSessionDuration })
  return explainResponseSchema.parse(redactSensitive(answer, plan.sensitiveValues))
}

export function explainRoute(deps: RouteDeps): AnyRoute {
  return route({
    method: 'POST',
    url: '/api/v1/environments/:id/trust/explain',
    auth: 'api-key',
    tag: TAG,
    summary:
      "What AWS would answer to AssumeRoleWithWebIdentity with the environment's next token (the oidc-preview claims) against a trust policy, condition by condition.",
    params: idParams,
    body: explainBodySchema,
    responses: { 200: explainResponseSchema },
    handler: ({ principal, params, body }) => explain(deps, principal, params.id, body),
  })
}
