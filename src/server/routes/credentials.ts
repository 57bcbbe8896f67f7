import { z } from 'zod'
import { createCredentialSchema, updateCredentialSchema } from '../../platform/credentials.js'
import { credentialSchema, pageSchema } from '../../shared/contracts/resources.js'
import { listQuerySchema } from '../../shared/contracts/pagination.js'
import type { RouteDeps } from '../deps.js'
import { idParams, route, type AnyRoute } from '../routing.js'

const assignParams = z.object({
  id: z.string().min(1).max(64),
  credentialId: z.string().min(1).max(64),
})

export function credentialRoutes({ platform }: RouteDeps): AnyRoute[] {
  const tag = 'credentials'
  return [
    route({
      method: 'POST',
      url: '/api/v1/organizations/:id/credentials',
      auth: 'api-key',
      tag,
      summary:
        'Create an aws-oidc deployment credential, at organization scope or (with projectId) project scope (admin).',
      params: idParams,
      body: createCredentialSchema,
      responses: { 201: credentialSchema },
      handler: ({ principal, params, body }) =>
        platform.credentials.create(principal, params.id, body),
    }),
    route({
      method: 'GET',
      url: '/api/v1/organizations/:id/credentials',
      auth: 'api-key',
      tag,
      summary: "List an organization's credentials.",
      params: idParams,
      query: listQuerySchema,
      responses: { 200: pageSchema(credentialSchema) },
      handler: ({ principal, params, query }) =>
        platform.credentials.list(principal, params.id, query),
    }),
    route({
      method: 'GET',
      url: '/api/v1/credentials/:id',
      auth: 'api-key',
      tag,
      summary: 'Get a credential.',
      params: idParams,
      responses: { 200: credentialSchema },
      handler: ({ principal, params }) => platform.credentials.get(principal, params.id),
    }),
    route({
      method: 'PATCH',
      url: '/api/v1/credentials/:id',
      auth: 'api-key',
      tag,
      summary: 'Change a credential (admin).',
      params: idParams,
      body: updateCredentialSchema,
      responses: { 200: credentialSchema },
      handler: ({ principal, params, body }) =>
        platform.credentials.update(principal, params.id, body),
    }),
    route({
      method: 'GET',
      url: '/api/v1/projects/:id/credentials',
      auth: 'api-key',
      tag,
      summary: 'The credential assigned to a project (at most one).',
      params: idParams,
      responses: { 200: pageSchema(credentialSchema) },
      handler: ({ principal, params }) => platform.credentials.listForProject(principal, params.id),
    }),
    route({
      method: 'PUT',
      url: '/api/v1/projects/:id/credentials/:credentialId',
      auth: 'api-key',
      tag,
      summary:
        "Assign a credential to a project (replaces the project's previous one; admin). No body; 204.",
      params: assignParams,
      responses: { 204: null },
      handler: ({ principal, params }) =>
        platform.credentials.assign(principal, params.id, params.credentialId),
    }),
    route({
      method: 'DELETE',
      url: '/api/v1/projects/:id/credentials/:credentialId',
      auth: 'api-key',
      tag,
      summary: 'Remove a credential assignment (admin). 204.',
      params: assignParams,
      responses: { 204: null },
      handler: ({ principal, params }) =>
        platform.credentials.unassign(principal, params.id, params.credentialId),
    }),
  ]
}
