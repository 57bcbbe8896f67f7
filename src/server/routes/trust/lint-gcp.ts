/**
 * `POST /organizations/{id}/trust/lint-gcp`: the rules of `keyless lint --cloud gcp` over pasted
 * workload identity providers or IAM policies, with the organization's id, audience and subject
 * template.
 */
import { z } from 'zod'
import type { Principal } from '../../../platform/index.js'
import { lintResponseSchema, type LintResponse } from '../../../shared/contracts/trust.js'
import { lazyModule } from '../../../shared/lazy-module.js'
import type { RouteDeps } from '../../deps.js'
import { idParams, route, type AnyRoute } from '../../routing.js'
import { POLICY_MAX, policyProblem, TAG } from './common.js'

export const lintGcpBodySchema = z.strictObject({
  providers: z.string().min(1, 'paste a provider (IAM v1 JSON) or an IAM policy').max(POLICY_MAX),
  /** The audience the providers must allow; default `gcp:<organizationId>`. */
  audience: z.string().min(1).max(600).optional(),
})

/** The GCP provider lint and the CEL library it parses with, loaded on the first lint. */
const gcpLint = lazyModule(() => import('../../../trust/lint-gcp/index.js'))

async function lintGcp(
  deps: RouteDeps,
  principal: Principal,
  organizationId: string,
  body: z.output<typeof lintGcpBodySchema>,
): Promise<LintResponse> {
  const org = await deps.platform.organizations.get(principal, organizationId)
  const { lintProviders } = await gcpLint()
  let result
  try {
    result = lintProviders(body.providers, {
      organizationId: org.id,
      subjectTemplate: org.subjectTemplate,
      ...(body.audience === undefined ? {} : { audience: body.audience }),
    })
  } catch (error) {
    policyProblem(error, 'providers')
  }
  return {
    findings: result.findings.map((f) => ({ ...f, line: null, column: null })),
    summary: result.summary,
  }
}

export function lintGcpRoute(deps: RouteDeps): AnyRoute {
  return route({
    method: 'POST',
    url: '/api/v1/organizations/:id/trust/lint-gcp',
    auth: 'api-key',
    tag: TAG,
    summary:
      "Lint Google workload identity providers or IAM policies (IAM v1 JSON) against the organization's tokens (the rules of `keyless lint --cloud gcp`: GCP01–GCP05).",
    params: idParams,
    body: lintGcpBodySchema,
    responses: { 200: lintResponseSchema },
    handler: ({ principal, params, body }) => lintGcp(deps, principal, params.id, body),
  })
}
