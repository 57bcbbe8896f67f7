import { z } from 'zod'
import { pageSchema, variableSchema, type VariableScope } from '../../shared/contracts/resources.js'
import { putVariableSchema } from '../../platform/variables.js'
import type { RouteDeps } from '../deps.js'
import { idParams, route, withStatus, type AnyRoute } from '../routing.js'

const SCOPES: ReadonlyArray<[string, VariableScope]> = [
  ['organizations', 'organization'],
  ['projects', 'project'],
  ['templates', 'template'],
  ['environments', 'environment'],
]

const nameParams = z.object({ id: z.string().min(1).max(64), name: z.string().min(1).max(128) })

export function variableRoutes({ platform }: RouteDeps): AnyRoute[] {
  const tag = 'variables'
  return SCOPES.flatMap(([segment, scope]) => [
    route({
      method: 'GET',
      url: `/api/v1/${segment}/:id/variables`,
      auth: 'api-key',
      tag,
      summary: `List the variables set at ${scope} scope (sensitive values are never returned).`,
      params: idParams,
      responses: { 200: pageSchema(variableSchema) },
      handler: ({ principal, params }) => platform.variables.list(principal, scope, params.id),
    }),
    route({
      method: 'PUT',
      url: `/api/v1/${segment}/:id/variables/:name`,
      auth: 'api-key',
      tag,
      summary: `Set a variable at ${scope} scope (admin). 201 when created, 200 when replaced.`,
      params: nameParams,
      body: putVariableSchema,
      responses: { 200: variableSchema, 201: variableSchema },
      handler: async ({ principal, params, body }) => {
        const { variable, created } = await platform.variables.put(
          principal,
          scope,
          params.id,
          params.name,
          body,
        )
        return withStatus(created ? 201 : 200, variable)
      },
    }),
    route({
      method: 'GET',
      url: `/api/v1/${segment}/:id/variables/:name`,
      auth: 'api-key',
      tag,
      summary: `Get a variable at ${scope} scope (value null when sensitive).`,
      params: nameParams,
      responses: { 200: variableSchema },
      handler: ({ principal, params }) =>
        platform.variables.get(principal, scope, params.id, params.name),
    }),
    route({
      method: 'DELETE',
      url: `/api/v1/${segment}/:id/variables/:name`,
      auth: 'api-key',
      tag,
      summary: `Delete a variable at ${scope} scope (admin).`,
      params: nameParams,
      responses: { 204: null },
      handler: ({ principal, params }) =>
        platform.variables.remove(principal, scope, params.id, params.name),
    }),
  ])
}
