import { idempotentId } from '../../platform/context.js'
import { createDeploymentSchema, listDeploymentsSchema } from '../../platform/deployments.js'
import {
  approvalRequestSchema,
  deploymentSchema,
  pageSchema,
} from '../../shared/contracts/resources.js'
import type { RouteDeps } from '../deps.js'
import { idParams, route, type AnyRoute } from '../routing.js'

export function deploymentRoutes({ platform, metrics }: RouteDeps): AnyRoute[] {
  const tag = 'deployments'
  return [
    route({
      method: 'POST',
      url: '/api/v1/environments/:id/deployments',
      auth: 'api-key',
      tag,
      summary:
        'Queue a deployment (`type` deploy|destroy|plan|task, default deploy; deployer role). The deployer is the key’s email.',
      params: idParams,
      body: createDeploymentSchema,
      responses: { 201: deploymentSchema },
      handler: async ({ principal, params, body, idempotency }) => {
        // Under an Idempotency-Key the id derives from the key: an attempt that took over the key
        // of one whose server died answers what that one made, or makes it (never a second one).
        const id = idempotency === undefined ? undefined : idempotentId('dep', idempotency)
        if (id !== undefined && idempotency?.takenOver === true) {
          const made = await platform.deployments.find(principal, id)
          if (made !== undefined) return made
        }
        const deployment = await platform.deployments.create(principal, params.id, body, id)
        metrics.deploymentsCreated.inc()
        return deployment
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/deployments/:id',
      auth: 'api-key',
      tag,
      summary: 'Get a deployment.',
      params: idParams,
      responses: { 200: deploymentSchema },
      handler: ({ principal, params }) => platform.deployments.get(principal, params.id),
    }),
    route({
      method: 'POST',
      url: '/api/v1/deployments/:id/cancel',
      auth: 'api-key',
      tag,
      summary:
        'Cancel a deployment: at once when not started, through the agent when running (deployer role). 409 when finished.',
      params: idParams,
      responses: { 200: deploymentSchema },
      handler: ({ principal, params }) => platform.deployments.cancel(principal, params.id),
    }),
    route({
      method: 'POST',
      url: '/api/v1/deployments/:id/approve',
      auth: 'api-key',
      tag,
      summary:
        'Approve a deployment awaiting approval: its agent applies exactly the saved plan (deployer role; audited). 409 unless awaiting approval.',
      params: idParams,
      body: approvalRequestSchema.optional(),
      responses: { 200: deploymentSchema },
      handler: ({ principal, params, body }) =>
        platform.approval.approve(principal, params.id, body ?? {}),
    }),
    route({
      method: 'POST',
      url: '/api/v1/deployments/:id/reject',
      auth: 'api-key',
      tag,
      summary:
        'Reject a deployment awaiting approval: it ends `rejected` and nothing is applied (deployer role; audited). 409 unless awaiting approval.',
      params: idParams,
      body: approvalRequestSchema.optional(),
      responses: { 200: deploymentSchema },
      handler: ({ principal, params, body }) =>
        platform.approval.reject(principal, params.id, body ?? {}),
    }),
    route({
      method: 'GET',
      url: '/api/v1/organizations/:id/deployments',
      auth: 'api-key',
      tag,
      summary:
        "List an organization's deployments, newest first (filter by environmentId, status).",
      params: idParams,
      query: listDeploymentsSchema,
      responses: { 200: pageSchema(deploymentSchema) },
      handler: ({ principal, params, query }) =>
        platform.deployments.list(principal, params.id, query),
    }),
  ]
}
