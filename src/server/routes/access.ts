import { z } from 'zod'
import { createAgentTokenSchema, createApiKeySchema } from '../../platform/access.js'
import {
  agentTokenSchema,
  apiKeySchema,
  newAgentTokenSchema,
  newApiKeySchema,
  pageSchema,
} from '../../shared/contracts/resources.js'
import { listQuerySchema } from '../../shared/contracts/pagination.js'
import type { RouteDeps } from '../deps.js'
import { idParams, route, type AnyRoute } from '../routing.js'

const keyParams = z.object({ id: z.string().min(1).max(64), keyId: z.string().min(1).max(64) })

/** API keys and agent tokens: created (shown once), listed, revoked. Admin of the organization. */
export function accessRoutes({ platform }: RouteDeps): AnyRoute[] {
  const tag = 'access'
  return [
    route({
      method: 'POST',
      url: '/api/v1/organizations/:id/api-keys',
      auth: 'api-key',
      tag,
      summary:
        'Create an API key with a role and the email of its owner; the key is returned once.',
      params: idParams,
      body: createApiKeySchema,
      responses: { 201: newApiKeySchema },
      secretAnswer: true,
      handler: ({ principal, params, body }) => platform.apiKeys.create(principal, params.id, body),
    }),
    route({
      method: 'GET',
      url: '/api/v1/organizations/:id/api-keys',
      auth: 'api-key',
      tag,
      summary: "List an organization's API keys (never the keys).",
      params: idParams,
      query: listQuerySchema,
      responses: { 200: pageSchema(apiKeySchema) },
      handler: ({ principal, params, query }) => platform.apiKeys.list(principal, params.id, query),
    }),
    route({
      method: 'DELETE',
      url: '/api/v1/organizations/:id/api-keys/:keyId',
      auth: 'api-key',
      tag,
      summary: 'Revoke an API key (it stops working at once).',
      params: keyParams,
      responses: { 200: apiKeySchema },
      handler: ({ principal, params }) =>
        platform.apiKeys.revoke(principal, params.id, params.keyId),
    }),
    route({
      method: 'POST',
      url: '/api/v1/organizations/:id/agent-tokens',
      auth: 'api-key',
      tag,
      summary: 'Create an agent token; the token is returned once.',
      params: idParams,
      body: createAgentTokenSchema,
      responses: { 201: newAgentTokenSchema },
      secretAnswer: true,
      handler: ({ principal, params, body }) =>
        platform.agentTokens.create(principal, params.id, body),
    }),
    route({
      method: 'GET',
      url: '/api/v1/organizations/:id/agent-tokens',
      auth: 'api-key',
      tag,
      summary: "List an organization's agent tokens (never the tokens).",
      params: idParams,
      query: listQuerySchema,
      responses: { 200: pageSchema(agentTokenSchema) },
      handler: ({ principal, params, query }) =>
        platform.agentTokens.list(principal, params.id, query),
    }),
    route({
      method: 'DELETE',
      url: '/api/v1/organizations/:id/agent-tokens/:keyId',
      auth: 'api-key',
      tag,
      summary: 'Revoke an agent token.',
      params: keyParams,
      responses: { 200: agentTokenSchema },
      handler: ({ principal, params }) =>
        platform.agentTokens.revoke(principal, params.id, params.keyId),
    }),
  ]
}
