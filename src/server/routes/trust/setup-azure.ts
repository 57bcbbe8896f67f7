/**
 * `GET /organizations/{id}/setup/azure`: the Entra side of the organization's azure-oidc
 * credentials — issuer, audiences, the subject each environment's tokens carry, the federated
 * identity credentials each application needs and the code `keyless setup azure` prints.
 */
import { z } from 'zod'
import type { Page, Principal } from '../../../platform/index.js'
import {
  AZURE_SETUP_FORMATS,
  azureSetupResponseSchema,
  type AzureSetupResponse,
} from '../../../shared/contracts/azure-setup.js'
import { KeylessError } from '../../../shared/errors.js'
import {
  azureSetupJson,
  environmentSubjects,
  gatherAzureSetup,
  planAzureSetup,
  renderAzureSetup,
  templateOf,
  type AzureSetupSource,
  type GatheredSetup,
} from '../../../trust/setup/azure/index.js'
import type { RouteDeps } from '../../deps.js'
import { idParams, route, type AnyRoute } from '../../routing.js'
import { TAG } from './common.js'

const querySchema = z.strictObject({
  format: z.enum(AZURE_SETUP_FORMATS).default('terraform'),
  projectId: z.string().min(1).max(64).optional(),
  credentialId: z.string().min(1).max(64).optional(),
})

const MAX_PAGES = 50

export async function all<T>(list: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = []
  let cursor: string | undefined
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await list(cursor)
    items.push(...page.items)
    if (page.nextCursor === null) break
    cursor = page.nextCursor
  }
  return items
}

export function sourceOf(deps: RouteDeps, principal: Principal): AzureSetupSource {
  const { platform } = deps
  const page = (cursor?: string) => ({ limit: 200, ...(cursor === undefined ? {} : { cursor }) })
  return {
    credentials: (o) => all((c) => platform.credentials.list(principal, o, page(c))),
    templates: (o) => all((c) => platform.templates.list(principal, o, page(c))),
    projectIds: async (o) =>
      (await all((c) => platform.projects.list(principal, o, page(c)))).map((p) => p.id),
    environments: (p) => all((c) => platform.environments.list(principal, p, page(c))),
  }
}

type Query = z.output<typeof querySchema>

/** The plan and its code; a refusal of the stored settings (say {deploymentId}) is a note. */
function planned(deps: RouteDeps, orgId: string, gathered: GatheredSetup, format: Query['format']) {
  const input = {
    organizationId: orgId,
    issuer: deps.idp.issuer,
    credentials: gathered.credentials,
  }
  try {
    const plan = planAzureSetup(input)
    const json = azureSetupJson(plan) as { applications: AzureSetupResponse['applications'] }
    return {
      content: plan.overLimit.length > 0 ? null : renderAzureSetup(plan, format),
      environments: environmentSubjects(input.credentials, orgId),
      applications: json.applications,
      overLimit: [...plan.overLimit],
      notes: gathered.notes,
    }
  } catch (error) {
    if (!(error instanceof KeylessError) || error.code !== 'usage_error') throw error
    const notes = [...gathered.notes, error.message]
    return { content: null, environments: [], applications: [], overLimit: [], notes }
  }
}

async function azureSetup(
  deps: RouteDeps,
  principal: Principal,
  orgId: string,
  query: Query,
): Promise<AzureSetupResponse> {
  const org = await deps.platform.organizations.get(principal, orgId)
  const source = sourceOf(deps, principal)
  const azure = (await source.credentials(org.id)).filter((c) => c.type === 'azure-oidc')
  const base = { issuer: deps.idp.issuer, format: query.format }
  if (azure.length === 0 && query.credentialId === undefined)
    return {
      ...base,
      content: null,
      credentials: [],
      environments: [],
      applications: [],
      overLimit: [],
      notes: ['No azure-oidc credential yet: create one and assign it to a project.'],
    }
  const gathered = await gatherAzureSetup(source, {
    organizationId: org.id,
    ...(query.credentialId === undefined ? {} : { credentialIds: [query.credentialId] }),
    ...(query.projectId === undefined ? {} : { projectIds: [query.projectId] }),
  })
  const credentials = azure
    .filter((c) => gathered.credentials.some((g) => g.credentialId === c.id))
    .map((c) => ({
      id: c.id,
      name: c.name,
      clientId: c.clientId,
      planClientId: c.planClientId,
      audience: c.audience,
      subjectTemplate: templateOf(c),
    }))
  return { ...base, credentials, ...planned(deps, org.id, gathered, query.format) }
}

export function setupAzureRoute(deps: RouteDeps): AnyRoute {
  return route({
    method: 'GET',
    url: '/api/v1/organizations/:id/setup/azure',
    auth: 'api-key',
    tag: TAG,
    summary:
      "The Entra side of the organization's azure-oidc credentials: issuer, audiences, the subject each environment's tokens carry, the federated identity credentials each application needs (at most 20) and the Terraform, az script or JSON `keyless setup azure` prints.",
    params: idParams,
    query: querySchema,
    responses: { 200: azureSetupResponseSchema },
    handler: ({ principal, params, query }) => azureSetup(deps, principal, params.id, query),
  })
}
