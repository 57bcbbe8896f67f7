/**
 * `GET /organizations/{id}/setup/gcp`: the Google side of the organization's gcp-oidc
 * credentials — the pools, providers and workloadIdentityUser bindings Google needs, subjects
 * over 127 bytes, and the code `keyless setup gcp` prints.
 */
import { z } from 'zod'
import type { Principal } from '../../../platform/index.js'
import {
  GCP_SETUP_FORMATS,
  gcpSetupResponseSchema,
  type GcpSetupResponse,
} from '../../../shared/contracts/gcp-setup.js'
import { KeylessError } from '../../../shared/errors.js'
import { lazyModule } from '../../../shared/lazy-module.js'
import type { RouteDeps } from '../../deps.js'
import { idParams, route, type AnyRoute } from '../../routing.js'
import { TAG } from './common.js'
import { sourceOf } from './setup-azure.js'

const querySchema = z.strictObject({
  format: z.enum(GCP_SETUP_FORMATS).default('terraform'),
  projectId: z.string().min(1).max(64).optional(),
  credentialId: z.string().min(1).max(64).optional(),
  perEnvironment: z.enum(['true', 'false']).default('false'),
})
type Query = z.output<typeof querySchema>

const EMPTY = { content: null, credentials: [], providers: [], bindings: [], tooLong: [] }

/** The GCP setup planner (and the CEL library its checks use), loaded on the first request. */
const gcpSetupModule = lazyModule(() => import('../../../trust/setup/gcp/index.js'))

async function gcpSetup(
  deps: RouteDeps,
  principal: Principal,
  orgId: string,
  query: Query,
): Promise<GcpSetupResponse> {
  const org = await deps.platform.organizations.get(principal, orgId)
  const source = sourceOf(deps, principal)
  const base = { issuer: deps.idp.issuer, format: query.format }
  const gcp = (await source.credentials(org.id)).filter((c) => c.type === 'gcp-oidc')
  if (gcp.length === 0 && query.credentialId === undefined)
    return {
      ...base,
      ...EMPTY,
      notes: ['No gcp-oidc credential yet: create one and assign it to a project.'],
    }
  const { gatherGcpSetup, planGcpSetup, renderGcpSetup } = await gcpSetupModule()
  const gathered = await gatherGcpSetup(
    source,
    {
      organizationId: org.id,
      ...(query.credentialId === undefined ? {} : { credentialIds: [query.credentialId] }),
      ...(query.projectId === undefined ? {} : { projectIds: [query.projectId] }),
    },
    org.subjectTemplate,
  )
  const credentials = gathered.credentials.map((c) => ({
    id: c.credentialId ?? '',
    name: c.name ?? '',
    projectNumber: c.projectNumber,
    poolId: c.poolId,
    providerId: c.providerId,
    serviceAccountEmail: c.serviceAccountEmail,
    audience: c.audience,
    subjectTemplate: c.subjectTemplate,
  }))
  try {
    const plan = planGcpSetup({
      organizationId: org.id,
      issuer: deps.idp.issuer,
      credentials: gathered.credentials,
      perEnvironment: query.perEnvironment === 'true',
    })
    return {
      ...base,
      credentials,
      content: plan.tooLong.length > 0 ? null : renderGcpSetup(plan, query.format),
      providers: plan.providers.map(({ projectNumber: _n, poolId: _p, providerId: _i, ...p }) => ({
        ...p,
        allowedAudiences: [...p.allowedAudiences],
        attributeMapping: { ...p.attributeMapping },
      })),
      bindings: plan.bindings.map(({ use: _u, ...b }) => b),
      tooLong: [...plan.tooLong],
      notes: gathered.notes,
    }
  } catch (error) {
    if (!(error instanceof KeylessError) || error.code !== 'usage_error') throw error
    return { ...base, ...EMPTY, credentials, notes: [...gathered.notes, error.message] }
  }
}

export function setupGcpRoute(deps: RouteDeps): AnyRoute {
  return route({
    method: 'GET',
    url: '/api/v1/organizations/:id/setup/gcp',
    auth: 'api-key',
    tag: TAG,
    summary:
      "The Google side of the organization's gcp-oidc credentials: the workload identity pools, OIDC providers (issuer, audiences, mapping, the condition pinning the organization) and roles/iam.workloadIdentityUser bindings, subjects over 127 bytes, and the Terraform, gcloud script or JSON `keyless setup gcp` prints.",
    params: idParams,
    query: querySchema,
    responses: { 200: gcpSetupResponseSchema },
    handler: ({ principal, params, query }) => gcpSetup(deps, principal, params.id, query),
  })
}
