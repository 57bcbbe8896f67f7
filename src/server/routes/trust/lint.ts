/** `POST /organizations/{id}/trust/lint`: the rules of `keyless lint` with the organization's settings. */
import { z } from 'zod'
import type { Principal } from '../../../platform/index.js'
import { lintResponseSchema, type LintResponse } from '../../../shared/contracts/trust.js'
import { lintTrustPolicy } from '../../../trust/lint/lint.js'
import type { LintOptions } from '../../../trust/lint/types.js'
import type { RouteDeps } from '../../deps.js'
import { idParams, route, type AnyRoute } from '../../routing.js'
import { durationField, POLICY_MAX, policyProblem, sessionTagsOf, TAG } from './common.js'

const lintBodySchema = z.strictObject({
  policy: z.string().min(1, 'paste a trust policy').max(POLICY_MAX),
  durationSeconds: durationField.optional(),
  maxSessionDuration: durationField.optional(),
})

async function lint(
  deps: RouteDeps,
  principal: Principal,
  organizationId: string,
  body: z.output<typeof lintBodySchema>,
): Promise<LintResponse> {
  const org = await deps.platform.organizations.get(principal, organizationId)
  const options: LintOptions = {
    issuer: deps.idp.issuer,
    audience: org.audience,
    subjectTemplate: org.subjectTemplate,
    sessionTags: await sessionTagsOf(deps, principal, org),
    ...(body.durationSeconds === undefined ? {} : { duration: body.durationSeconds }),
    ...(body.maxSessionDuration === undefined
      ? {}
      : { maxSessionDuration: body.maxSessionDuration }),
  }
  let result
  try {
    result = lintTrustPolicy(body.policy, options)
  } catch (error) {
    policyProblem(error, 'policy')
  }
  return {
    findings: result.findings.map((f, i) => ({
      ...f,
      line: result.locations[i]?.line ?? null,
      column: result.locations[i]?.column ?? null,
    })),
    summary: result.summary,
  }
}

export function lintRoute(deps: RouteDeps): AnyRoute {
  return route({
    method: 'POST',
    url: '/api/v1/organizations/:id/trust/lint',
    auth: 'api-key',
    tag: TAG,
    summary:
      "Lint a role trust policy against the organization's issuer, audience and subject template (the rules of `keyless lint`).",
    params: idParams,
    body: lintBodySchema,
    responses: { 200: lintResponseSchema },
    handler: ({ principal, params, body }) => lint(deps, principal, params.id, body),
  })
}
