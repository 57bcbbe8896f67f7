import { createOrganizationSchema, updateOrganizationSchema } from '../../platform/organizations.js'
import { listQuerySchema } from '../../shared/contracts/pagination.js'
import { organizationSchema, pageSchema } from '../../shared/contracts/resources.js'
import type { RouteDeps } from '../deps.js'
import { idParams, route, type AnyRoute } from '../routing.js'

export function organizationRoutes({ platform }: RouteDeps): AnyRoute[] {
  const tag = 'organizations'
  return [
    route({
      method: 'POST',
      url: '/api/v1/organizations',
      auth: 'api-key',
      tag,
      summary: 'Create an organization (owner key only).',
      body: createOrganizationSchema,
      responses: { 201: organizationSchema },
      handler: ({ principal, body }) => platform.organizations.create(principal, body),
    }),
    route({
      method: 'GET',
      url: '/api/v1/organizations',
      auth: 'api-key',
      tag,
      summary: 'List the organizations the key can see.',
      query: listQuerySchema,
      responses: { 200: pageSchema(organizationSchema) },
      handler: ({ principal, query }) => platform.organizations.list(principal, query),
    }),
    route({
      method: 'GET',
      url: '/api/v1/organizations/:id',
      auth: 'api-key',
      tag,
      summary: 'Get an organization.',
      params: idParams,
      responses: { 200: organizationSchema },
      handler: ({ principal, params }) => platform.organizations.get(principal, params.id),
    }),
    route({
      method: 'PATCH',
      url: '/api/v1/organizations/:id',
      auth: 'api-key',
      tag,
      summary:
        'Change name, audience, subject template (the previous one is kept) or the stop-minting switch (admin).',
      params: idParams,
      body: updateOrganizationSchema,
      responses: { 200: organizationSchema },
      handler: ({ principal, params, body }) =>
        platform.organizations.update(principal, params.id, body),
    }),
  ]
}
