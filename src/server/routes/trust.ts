import { z } from 'zod'
import { deploymentTypeSchema } from '../../shared/contracts/common.js'
import { KeylessError, ValidationFailed } from '../../shared/errors.js'
import { redactSensitive } from '../../shared/redact.js'
import type { WebIdentityTrustResult } from '../../policy/index.js'
import {
  computeThumbprint,
  explainWebIdentity,
  generateSetup,
  lintTrustPolicy,
  planSetup,
  SETUP_FORMATS,
  type Explanation,
  type LintOptions,
  type SetupFormat,
  type SetupInput,
} from '../../trust/index.js'
import type { Principal } from '../../platform/index.js'
import type { Organization } from '../../shared/contracts/resources.js'
import {
  explainResponseSchema,
  lintResponseSchema,
  setupResponseSchema,
  thumbprintResponseSchema,
} from '../../shared/contracts/trust.js'
import type { RouteDeps } from '../deps.js'
import { idParams, route, type AnyRoute } from '../routing.js'

/**
 * Trust tools for the web console (issue 7): lint a trust policy with the organization's issuer
 * and audience, explain what AWS would answer for an environment's next token, generate the AWS
 * setup (`keyless setup aws`), and the issuer's thumbprint. The CLI has the same tools offline.
 */

const POLICY_MAX = 128 * 1024
const durationField = z.number().int().min(1).max(129_600)

const lintBodySchema = z.strictObject({
  policy: z.string().min(1, 'paste a trust policy').max(POLICY_MAX),
  durationSeconds: durationField.optional(),
  maxSessionDuration: durationField.optional(),
})

const explainBodySchema = z.strictObject({
  trustPolicy: z.string().min(1, 'paste a trust policy').max(POLICY_MAX),
  type: deploymentTypeSchema.default('deploy'),
  /** The duration the deployment would request; default the credential's (else 3600). */
  durationSeconds: durationField.optional(),
  /** The role's MaxSessionDuration; default 3600 (AWS's default). */
  maxSessionDuration: durationField.optional(),
})

const setupQuerySchema = z.strictObject({
  format: z.enum(SETUP_FORMATS as [SetupFormat, ...SetupFormat[]]).default('json'),
  roleName: z.string().min(1).max(64).default('keyless-deployer'),
  accountId: z
    .string()
    .regex(/^\d{12}$/u, 'must be 12 digits')
    .optional(),
  projectId: z.string().min(1).max(64).optional(),
})

/** Whether the organization's tokens carry session tags (true unless every credential turns them off). */
async function sessionTagsOf(deps: RouteDeps, principal: Principal, org: Organization) {
  const credentials = await deps.platform.credentials.list(principal, org.id, { limit: 200 })
  return (
    credentials.items.length === 0 ||
    credentials.items.some((c) => c.type === 'aws-oidc' && c.sessionTags)
  )
}

function policyProblem(error: unknown): never {
  if (error instanceof KeylessError && error.code === 'input_unreadable')
    throw new ValidationFailed(error.message, [{ path: 'policy', message: error.message }])
  throw error
}

function statementsOf(result: WebIdentityTrustResult) {
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

export function trustRoutes(deps: RouteDeps): AnyRoute[] {
  const { platform, idp } = deps
  const tag = 'trust'
  return [
    route({
      method: 'POST',
      url: '/api/v1/organizations/:id/trust/lint',
      auth: 'api-key',
      tag,
      summary:
        "Lint a role trust policy against the organization's issuer, audience and subject template (the rules of `keyless lint`).",
      params: idParams,
      body: lintBodySchema,
      responses: { 200: lintResponseSchema },
      handler: async ({ principal, params, body }) => {
        const org = await platform.organizations.get(principal, params.id)
        const options: LintOptions = {
          issuer: idp.issuer,
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
          policyProblem(error)
        }
        return {
          findings: result.findings.map((f, i) => ({
            ...f,
            line: result.locations[i]?.line ?? null,
            column: result.locations[i]?.column ?? null,
          })),
          summary: result.summary,
        }
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/environments/:id/trust/explain',
      auth: 'api-key',
      tag,
      summary:
        "What AWS would answer to AssumeRoleWithWebIdentity with the environment's next token (the oidc-preview claims) against a trust policy, condition by condition.",
      params: idParams,
      body: explainBodySchema,
      responses: { 200: explainResponseSchema },
      handler: async ({ principal, params, body }) => {
        const plan = await platform.previewContext(principal, params.id, { type: body.type })
        const claims = idp.previewClaims(plan.context).claims
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
          if (error instanceof KeylessError && error.code === 'input_unreadable')
            throw new ValidationFailed(error.message, [
              { path: 'trustPolicy', message: error.message },
            ])
          throw error
        }
        const trust = explanation.trust
        // Explained with the real claims, shown without a sensitive value anywhere.
        return explainResponseSchema.parse(
          redactSensitive(
            {
              decision: explanation.decision,
              awsError:
                explanation.awsError === undefined
                  ? null
                  : { code: explanation.awsError.code, message: explanation.awsError.message },
              assumedRoleArn: explanation.assumedRoleArn ?? null,
              summary: trust?.summary ?? '',
              signatureChecked: explanation.signatureChecked,
              roleArn: explanation.roleArn,
              roleSource: plan.roleSource,
              durationSeconds,
              maxSessionDuration,
              claims,
              checks: explanation.steps.map((s) => ({
                name: s.step,
                status: s.status,
                passed: s.status !== 'fail',
                message: s.detail,
              })),
              statements: trust === null ? [] : statementsOf(trust),
              failing: (trust?.failing ?? []).map((f) => ({
                statement: f.statement,
                operator: f.operator,
                key: f.key,
                tokenValue: f.requestValues === null ? null : [...f.requestValues],
                policyValues: [...f.policyValues],
                message: f.message,
              })),
              lines: [...explanation.lines],
            },
            plan.sensitiveValues,
          ),
        )
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/organizations/:id/setup',
      auth: 'api-key',
      tag,
      summary:
        'The AWS side for the organization (IAM OIDC provider + role + trust policy) as Terraform, CloudFormation, JSON or AWS CLI, as `keyless setup aws` prints it.',
      params: idParams,
      query: setupQuerySchema,
      responses: { 200: setupResponseSchema },
      handler: async ({ principal, params, query }) => {
        const org = await platform.organizations.get(principal, params.id)
        const input: SetupInput = {
          organizationId: org.id,
          issuer: idp.issuer,
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
        let plan
        try {
          plan = planSetup(input)
        } catch (error) {
          if (error instanceof KeylessError && error.code === 'usage_error')
            throw new ValidationFailed(error.message, [
              { path: 'roleName', message: error.message },
            ])
          throw error
        }
        const trustPolicy = plan.trustPolicy as unknown as Record<string, unknown>
        // Without an account id, JSON is the trust policy alone (the provider ARN keeps a placeholder).
        const content =
          query.format === 'json' && query.accountId === undefined
            ? `${JSON.stringify(trustPolicy, null, 2)}\n`
            : generateSetup(input, query.format)
        return { format: query.format, content, trustPolicy, subjects: [...plan.subjects] }
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/organizations/:id/thumbprint',
      auth: 'api-key',
      tag,
      summary:
        "The thumbprint AWS asks for when the issuer's IAM OIDC provider is created (null for a loopback http issuer).",
      params: idParams,
      responses: { 200: thumbprintResponseSchema },
      handler: async ({ principal, params }) => {
        await platform.organizations.get(principal, params.id)
        if (!/^https:/iu.test(idp.issuer))
          return {
            thumbprint: null,
            message:
              'Not needed: this issuer is served over http on a loopback address (the keyless emulator accepts it without a thumbprint; real AWS needs an https issuer).',
          }
        try {
          const result = await computeThumbprint(idp.issuer, { timeoutMs: 5000 })
          return {
            thumbprint: result.thumbprint,
            message: `SHA-1 of ${result.certificate.subject}, served by ${result.jwksHost}`,
          }
        } catch (error) {
          return {
            thumbprint: null,
            message: `Could not be computed from here: ${error instanceof Error ? error.message : String(error)}. Run keyless thumbprint ${idp.issuer}.`,
          }
        }
      },
    }),
  ]
}
