import { z } from 'zod'
import { pageSchema } from '../../platform/index.js'
import { listVersionsSchema } from '../../platform/state/admin.js'
import {
  forceUnlockResponseSchema,
  stateLockStatusSchema,
  stateOutputsSchema,
  stateResourcesSchema,
  stateVersionSchema,
} from '../../shared/contracts/state.js'
import type { RouteDeps } from '../deps.js'
import { route, type AnyRoute } from '../routing.js'

const envParams = z.object({ id: z.string().min(1).max(64) })
const versionParams = envParams.extend({
  serial: z
    .string()
    .regex(/^\d{1,10}$/u, 'must be a serial number')
    .transform(Number),
})

/** What API keys do with an environment's state (the backend protocol is in state-backend.ts). */
export function stateRoutes({ platform }: RouteDeps): AnyRoute[] {
  const tag = 'state'
  return [
    route({
      method: 'GET',
      url: '/api/v1/environments/:id/state/versions',
      auth: 'api-key',
      tag,
      summary:
        'List the state versions of an environment, newest first (admin: state holds secrets).',
      params: envParams,
      query: listVersionsSchema,
      responses: { 200: pageSchema(stateVersionSchema) },
      handler: ({ principal, params, query }) =>
        platform.stateAdmin.listVersions(principal, params.id, query),
    }),
    route({
      method: 'GET',
      url: '/api/v1/environments/:id/state/versions/:serial',
      auth: 'api-key',
      tag,
      summary: 'Download one state version as Terraform wrote it (admin).',
      params: versionParams,
      responses: { 200: null },
      raw: true,
      handler: async ({ principal, params, reply }) => {
        const body = await platform.stateAdmin.download(principal, params.id, params.serial)
        await reply
          .status(200)
          .header('cache-control', 'no-store')
          .header(
            'content-disposition',
            `attachment; filename="${params.id}-${params.serial}.tfstate"`,
          )
          .type('application/json')
          .send(body)
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/environments/:id/state/versions/:serial/restore',
      auth: 'api-key',
      tag,
      summary:
        'Restore a state version: its content becomes a new version with the next serial (admin, audited; refused while locked or while a deployment holds the environment).',
      params: versionParams,
      responses: { 201: stateVersionSchema },
      handler: ({ principal, params }) =>
        platform.stateAdmin.restore(principal, params.id, params.serial),
    }),
    route({
      method: 'GET',
      url: '/api/v1/environments/:id/state/lock',
      auth: 'api-key',
      tag,
      summary: "The state lock of an environment and its holder's status, or null.",
      params: envParams,
      responses: { 200: stateLockStatusSchema },
      handler: ({ principal, params }) => platform.stateAdmin.lockStatus(principal, params.id),
    }),
    route({
      method: 'DELETE',
      url: '/api/v1/environments/:id/state/lock',
      auth: 'api-key',
      tag,
      summary: 'Force-unlock the state, whoever holds the lock (admin, audited).',
      params: envParams,
      responses: { 200: forceUnlockResponseSchema },
      handler: async ({ principal, params }) => ({
        released: await platform.stateAdmin.forceUnlock(principal, params.id),
      }),
    }),
    route({
      method: 'GET',
      url: '/api/v1/environments/:id/state/outputs',
      auth: 'api-key',
      tag,
      summary: 'Outputs of the latest state; sensitive values are masked (viewer).',
      params: envParams,
      responses: { 200: stateOutputsSchema },
      handler: ({ principal, params }) => platform.stateAdmin.outputs(principal, params.id),
    }),
    route({
      method: 'GET',
      url: '/api/v1/environments/:id/state/resources',
      auth: 'api-key',
      tag,
      summary: 'Resource addresses in the latest state (viewer).',
      params: envParams,
      responses: { 200: stateResourcesSchema },
      handler: ({ principal, params }) => platform.stateAdmin.resources(principal, params.id),
    }),
  ]
}
