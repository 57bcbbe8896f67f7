import { auditQuerySchema } from '../../platform/audit.js'
import { auditEventSchema, pageSchema } from '../../shared/contracts/resources.js'
import type { RouteDeps } from '../deps.js'
import { idParams, route, type AnyRoute } from '../routing.js'

export function auditRoutes({ platform }: RouteDeps): AnyRoute[] {
  return [
    route({
      method: 'GET',
      url: '/api/v1/organizations/:id/audit',
      auth: 'api-key',
      tag: 'audit',
      summary:
        "The organization's audit log, newest first (filter by action, deploymentId; admin).",
      params: idParams,
      query: auditQuerySchema,
      responses: { 200: pageSchema(auditEventSchema) },
      handler: ({ principal, params, query }) => platform.audit.list(principal, params.id, query),
    }),
  ]
}
