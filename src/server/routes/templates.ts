import { listQuerySchema } from '../../shared/contracts/pagination.js'
import { createTemplateSchema, updateTemplateSchema } from '../../platform/templates.js'
import { pageSchema, templateSchema } from '../../shared/contracts/resources.js'
import type { RouteDeps } from '../deps.js'
import { idParams, route, type AnyRoute } from '../routing.js'

export function templateRoutes({ platform }: RouteDeps): AnyRoute[] {
  const tag = 'templates'
  return [
    route({
      method: 'POST',
      url: '/api/v1/organizations/:id/templates',
      auth: 'api-key',
      tag,
      summary: 'Create a template: `custom` (steps) or `terraform`/`opentofu` (admin).',
      params: idParams,
      body: createTemplateSchema,
      responses: { 201: templateSchema },
      handler: ({ principal, params, body }) =>
        platform.templates.create(principal, params.id, body),
    }),
    route({
      method: 'GET',
      url: '/api/v1/organizations/:id/templates',
      auth: 'api-key',
      tag,
      summary: "List an organization's templates.",
      params: idParams,
      query: listQuerySchema,
      responses: { 200: pageSchema(templateSchema) },
      handler: ({ principal, params, query }) =>
        platform.templates.list(principal, params.id, query),
    }),
    route({
      method: 'GET',
      url: '/api/v1/templates/:id',
      auth: 'api-key',
      tag,
      summary: 'Get a template.',
      params: idParams,
      responses: { 200: templateSchema },
      handler: ({ principal, params }) => platform.templates.get(principal, params.id),
    }),
    route({
      method: 'PATCH',
      url: '/api/v1/templates/:id',
      auth: 'api-key',
      tag,
      summary: 'Change a template (admin).',
      params: idParams,
      body: updateTemplateSchema,
      responses: { 200: templateSchema },
      handler: ({ principal, params, body }) =>
        platform.templates.update(principal, params.id, body),
    }),
  ]
}
