import { createEnvironmentSchema, updateEnvironmentSchema } from '../../platform/environments.js'
import { listQuerySchema } from '../../shared/contracts/pagination.js'
import { environmentSchema, pageSchema } from '../../shared/contracts/resources.js'
import type { RouteDeps } from '../deps.js'
import { idParams, route, type AnyRoute } from '../routing.js'

export function environmentRoutes({ platform }: RouteDeps): AnyRoute[] {
  const tag = 'environments'
  return [
    route({
      method: 'POST',
      url: '/api/v1/projects/:id/environments',
      auth: 'api-key',
      tag,
      summary:
        'Create an environment: a template in a project, with an optional typed role override (admin).',
      params: idParams,
      body: createEnvironmentSchema,
      responses: { 201: environmentSchema },
      handler: ({ principal, params, body }) =>
        platform.environments.create(principal, params.id, body),
    }),
    route({
      method: 'GET',
      url: '/api/v1/projects/:id/environments',
      auth: 'api-key',
      tag,
      summary: "List a project's environments.",
      params: idParams,
      query: listQuerySchema,
      responses: { 200: pageSchema(environmentSchema) },
      handler: ({ principal, params, query }) =>
        platform.environments.list(principal, params.id, query),
    }),
    route({
      method: 'GET',
      url: '/api/v1/environments/:id',
      auth: 'api-key',
      tag,
      summary: 'Get an environment.',
      params: idParams,
      responses: { 200: environmentSchema },
      handler: ({ principal, params }) => platform.environments.get(principal, params.id),
    }),
    route({
      method: 'PATCH',
      url: '/api/v1/environments/:id',
      auth: 'api-key',
      tag,
      summary:
        'Change an environment, including `roleArnOverride` (admin; audited with its source).',
      params: idParams,
      body: updateEnvironmentSchema,
      responses: { 200: environmentSchema },
      handler: ({ principal, params, body }) =>
        platform.environments.update(principal, params.id, body),
    }),
  ]
}
