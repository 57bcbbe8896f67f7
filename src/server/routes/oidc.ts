import type { Cloud, RunPhase } from '../../shared/contracts/common.js'
import { oidcPreviewSchema, oidcSettingsSchema } from '../../shared/contracts/oidc.js'
import type { z } from 'zod'
import { tokenRequestSchema, tokenResponseSchema } from '../../shared/contracts/agent-api.js'
import { renderSubject } from '../../shared/subject-template.js'
import { redactClaims, redactString } from '../../shared/redact.js'
import { previewQuerySchema } from '../../platform/token-context.js'
import type { Principal } from '../../platform/index.js'
import type { RouteDeps } from '../deps.js'
import { idParams, route, type AnyRoute, type CoreInput } from '../routing.js'

const EXAMPLE = {
  projectId: '<projectId>',
  environmentId: '<environmentId>',
  templateId: '<templateId>',
  deploymentType: 'deploy',
  deploymentId: '<deploymentId>',
  runPhase: 'apply',
} as const

/**
 * Mints a token for a deployment: checks (platform), signs (identity provider), audits
 * (platform). Shared by the REST manual mint and the agent API.
 */
export async function mintFor(
  deps: RouteDeps,
  principal: Principal,
  deploymentId: string,
  request: { readonly runPhase?: RunPhase | undefined; readonly cloud?: Cloud | undefined } = {},
): Promise<{ token: string; expiresAt: string }> {
  const plan = await deps.platform.tokenContext(
    deploymentId,
    principal,
    request.runPhase,
    request.cloud,
  )
  const minted = await deps.idp.mint(plan.context)
  await deps.platform.recordMint(principal, plan, minted)
  deps.metrics.tokensMinted.inc({ mode: plan.mode })
  return { token: minted.token, expiresAt: minted.expiresAt.toISOString() }
}

/** The mint handler of both mint routes (it needs nothing of Fastify: see `RouteSpec.core`). */
export function mintHandler(deps: RouteDeps) {
  return ({
    principal,
    params,
    body,
  }: CoreInput<{ id: string }, unknown, z.output<typeof tokenRequestSchema> | undefined>) =>
    mintFor(deps, principal, params.id, body ?? {})
}

export function oidcRoutes(deps: RouteDeps): AnyRoute[] {
  const mint = mintHandler(deps)
  const { platform, idp } = deps
  const tag = 'oidc'
  return [
    route({
      method: 'GET',
      url: '/api/v1/organizations/:id/oidc',
      auth: 'api-key',
      tag,
      summary:
        'What AWS needs to trust this organization: issuer, JWKS URI, audience, subject template with an example, condition-key prefix.',
      params: idParams,
      responses: { 200: oidcSettingsSchema },
      handler: async ({ principal, params }) => {
        const org = await platform.organizations.get(principal, params.id)
        const credentials = await platform.credentials.list(principal, org.id, { limit: 200 })
        const values = { organizationId: org.id, ...EXAMPLE }
        const discovery = idp.discovery()
        return {
          issuer: idp.issuer,
          jwksUri: discovery.jwks_uri,
          audience: org.audience,
          subjectTemplate: org.subjectTemplate,
          exampleSubject: renderSubject(org.subjectTemplate, values),
          conditionKeyPrefix: idp.issuer.replace(/^https?:\/\//u, ''),
          previousSubjectTemplate: org.previousSubjectTemplate,
          previousExampleSubject:
            org.previousSubjectTemplate === null
              ? null
              : renderSubject(org.previousSubjectTemplate, values),
          sessionTags:
            credentials.items.length === 0 ||
            credentials.items.some((c) => c.type === 'aws-oidc' && c.sessionTags),
          mintingStopped: org.mintingStopped,
        }
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/environments/:id/oidc-preview',
      auth: 'api-key',
      tag,
      summary:
        "The claims the environment's next deployment token would carry (unsigned), the tags AWS would reject, and the role it would assume.",
      params: idParams,
      query: previewQuerySchema,
      responses: { 200: oidcPreviewSchema },
      handler: async ({ principal, params, query }) => {
        const plan = await platform.previewContext(principal, params.id, query)
        const preview = idp.previewClaims(plan.context)
        return {
          claims: redactClaims(preview.claims, plan.sensitiveValues),
          omittedTags: preview.omittedTags,
          roleArn: plan.roleArn === null ? null : redactString(plan.roleArn, plan.sensitiveValues),
          roleSource: plan.roleSource,
          durationSeconds: plan.durationSeconds,
          credentialId: plan.credentialId,
        }
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/deployments/:id/oidc-token',
      auth: 'api-key',
      tag,
      summary:
        'Mint a token for a queued or running deployment outside an agent (admin or owner; audited as a manual mint). Body (optional): the run phase and the cloud (default aws).',
      params: idParams,
      body: tokenRequestSchema.optional(),
      responses: { 200: tokenResponseSchema },
      secretAnswer: true,
      handler: mint,
      core: mint,
    }),
  ]
}
