/** `GET /organizations/{id}/setup`: the AWS side, as `keyless setup aws` prints it. */
import { z } from 'zod'
import type { Principal } from '../../../platform/index.js'
import { setupResponseSchema, type SetupResponse } from '../../../shared/contracts/trust.js'
import { KeylessError, ValidationFailed } from '../../../shared/errors.js'
import { generateSetup, SETUP_FORMATS, type SetupFormat } from '../../../trust/setup/render.js'
import { planSetup, type SetupInput, type SetupPlan } from '../../../trust/setup/trust-policy.js'
import type { RouteDeps } from '../../deps.js'
import { idParams, route, type AnyRoute } from '../../routing.js'
import { sessionTagsOf, TAG } from './common.js'

const setupQuerySchema = z.strictObject({
  format: z.enum(SETUP_FORMATS as [SetupFormat, ...SetupFormat[]]).default('json'),
  roleName: z.string().min(1).max(64).default('keyless-deployer'),
  accountId: z
    .string()
    .regex(/^\d{12}$/u, 'must be 12 digits')
    .optional(),
  projectId: z.string().min(1).max(64).optional(),
})

type SetupQuery = z.output<typeof setupQuerySchema>

/** A role name planSetup refuses is a 400 on `roleName`. */
function planOf(input: SetupInput): SetupPlan {
  try {
    return planSetup(input)
  } catch (error) {
    if (error instanceof KeylessError && error.code === 'usage_error')
      throw new ValidationFailed(error.message, [{ path: 'roleName', message: error.message }])
    throw error
  }
}

async function setup(
  deps: RouteDeps,
  principal: Principal,
  organizationId: string,
  query: SetupQuery,
): Promise<SetupResponse> {
  const org = await deps.platform.organizations.get(principal, organizationId)
  const input: SetupInput = {
    organizationId: org.id,
    issuer: deps.idp.issuer,
    audience: org.audience,
    subjectTemplate: org.subjectTemplate,
    ...(org.previousSubjectTemplate === null
      ? {}
      : { previousSubjectTemplate: org.previousSubjectTemplate }),
    sessionTags: await sessionTagsOf(deps, principal, org),
    roleName: query.roleName,
    ...(query.accountId === undefined ? {} : { accountId: query.accountId }),
    ...(query.projectId === undefined ? {} : { projectIds: [query.projectId] }),
  }
  const plan = planOf(input)
  const trustPolicy = plan.trustPolicy as unknown as Record<string, unknown>
  // Without an account id, JSON is the trust policy alone (the provider ARN keeps a placeholder).
  const content =
    query.format === 'json' && query.accountId === undefined
      ? `${JSON.stringify(trustPolicy, null, 2)}\n`
      : generateSetup(input, query.format)
  return { format: query.format, content, trustPolicy, subjects: [...plan.subjects] }
}

export function setupRoute(deps: RouteDeps): AnyRoute {
  return route({
    method: 'GET',
    url: '/api/v1/organizations/:id/setup',
    auth: 'api-key',
    tag: TAG,
    summary:
      'The AWS side for the organization (IAM OIDC provider + role + trust policy) as Terraform, CloudFormation, JSON or AWS CLI, as `keyless setup aws` prints it.',
    params: idParams,
    query: setupQuerySchema,
    responses: { 200: setupResponseSchema },
    handler: ({ principal, params, query }) => setup(deps, principal, params.id, query),
  })
}
