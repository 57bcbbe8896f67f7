import { listQuerySchema } from '../../shared/contracts/pagination.js'
import { createProjectSchema, updateProjectSchema } from '../../platform/projects.js'
import { pageSchema, projectSchema } from '../../shared/contracts/resources.js'
import type { RouteDeps } from '../deps.js'
import { idParams, route, type AnyRoute } from '../routing.js'

export function projectRoutes({ platform }: RouteDeps): AnyRoute[] {
  const tag = 'projects'
  return [
    route({
      method: 'POST',
      url: '/api/v1/organizations/:id/projects',
      auth: 'api-key',
      tag,
      summary: 'Create a project (admin).',
      params: idParams,
      body: createProjectSchema,
      responses: { 201: projectSchema },
      handler: ({ principal, params, body }) =>
        platform.projects.create(principal, params.id, body),
    }),
    route({
      method: 'GET',
      url: '/api/v1/organizations/:id/projects',
      auth: 'api-key',
      tag,
      summary: "List an organization's projects.",
      params: idParams,
      query: listQuerySchema,
      responses: { 200: pageSchema(projectSchema) },
      handler: ({ principal, params, query }) =>
        platform.projects.list(principal, params.id, query),
    }),
    route({
      method: 'GET',
      url: '/api/v1/projects/:id',
      auth: 'api-key',
      tag,
      summary: 'Get a project.',
      params: idParams,
      responses: { 200: projectSchema },
      handler: ({ principal, params }) => platform.projects.get(principal, params.id),
    }),
    route({
      method: 'PATCH',
      url: '/api/v1/projects/:id',
      auth: 'api-key',
      tag,
      summary: 'Change a project (admin).',
      params: idParams,
      body: updateProjectSchema,
      responses: { 200: projectSchema },
      handler: ({ principal, params, body }) =>
        platform.projects.update(principal, params.id, body),
    }),
  ]
}
