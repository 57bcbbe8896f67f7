import { z } from 'zod'
import {
  tokenRequestSchema,
  appendLogsRequestSchema,
  claimRequestSchema,
  claimResponseSchema,
  heartbeatResponseSchema,
  releaseClaimRequestSchema,
  statusRequestSchema,
  tokenResponseSchema,
} from '../../shared/contracts/agent-api.js'
import { deploymentSchema } from '../../shared/contracts/resources.js'
import type { RouteDeps } from '../deps.js'
import { idParams, route, withStatus, type AnyRoute } from '../routing.js'
import { mintHandler } from './oidc.js'

/** The agent API (`/agent/v1`, agent tokens only), exactly per src/shared/contracts/agent-api.ts. */
export function agentRoutes(deps: RouteDeps): AnyRoute[] {
  const { platform, closing } = deps
  const mint = mintHandler(deps)
  const tag = 'agent'
  return [
    route({
      method: 'POST',
      url: '/agent/v1/claim',
      auth: 'agent',
      tag,
      summary:
        "Claim the oldest queued deployment of the agent's organization (long poll up to waitSeconds); 204 when none came.",
      body: claimRequestSchema,
      responses: { 200: claimResponseSchema, 204: null },
      handler: async ({ principal, body, reply }) => {
        const stop = new AbortController()
        let gone = false
        const onGone = (): void => {
          gone = true
          stop.abort()
        }
        const onClosing = (): void => stop.abort()
        reply.raw.on('close', onGone)
        closing.addEventListener('abort', onClosing)
        try {
          const claimed = await platform.queue.claim(principal, body, stop.signal)
          if (claimed === null) return withStatus(204)
          // The agent went away while its claim was being made (it is stopping): nobody would
          // get this answer, so the deployment goes back to the queue now, not after its lease.
          if (gone && body?.claimKey !== undefined) {
            await platform.queue.releaseClaim(
              principal,
              {
                claimKey: body.claimKey,
                ...(body.agentName === undefined ? {} : { agentName: body.agentName }),
              },
              'the agent went away before the answer to its claim could be sent',
            )
            return withStatus(204)
          }
          return claimed
        } finally {
          reply.raw.off('close', onGone)
          closing.removeEventListener('abort', onClosing)
        }
      },
    }),
    route({
      method: 'POST',
      url: '/agent/v1/claim/release',
      auth: 'agent',
      tag,
      summary:
        'Give up a claim attempt whose answer never came (the agent is stopping): the deployment it claimed, if still claimed by this agent token with this claim key, is queued again at once (audited deployment.requeued). 200 with it, 204 when the key holds nothing.',
      body: releaseClaimRequestSchema,
      responses: { 200: z.object({ deployment: deploymentSchema }), 204: null },
      handler: async ({ principal, body }) => {
        const released = await platform.queue.releaseClaim(principal, body)
        return released === null ? withStatus(204) : { deployment: released }
      },
    }),
    route({
      method: 'POST',
      url: '/agent/v1/deployments/:id/heartbeat',
      auth: 'agent',
      tag,
      summary:
        'Renew the lease; tells the agent whether cancel was requested. 409 lease_lost when the agent no longer holds it.',
      params: idParams,
      responses: { 200: heartbeatResponseSchema },
      handler: ({ principal, params }) => platform.queue.heartbeat(principal, params.id),
    }),
    route({
      method: 'POST',
      url: '/agent/v1/deployments/:id/logs',
      auth: 'agent',
      tag,
      summary: 'Append log lines (already masked by the runner). 204.',
      allowNul: true,
      params: idParams,
      body: appendLogsRequestSchema,
      responses: { 204: null },
      handler: async ({ principal, params, body }) => {
        await platform.logs.append(principal, params.id, body)
      },
    }),
    route({
      method: 'POST',
      url: '/agent/v1/deployments/:id/status',
      auth: 'agent',
      tag,
      summary: 'Report running, a step, or the final status.',
      params: idParams,
      body: statusRequestSchema,
      responses: { 200: z.object({ deployment: deploymentSchema }) },
      handler: async ({ principal, params, body }) => ({
        deployment: await platform.queue.report(principal, params.id, body),
      }),
    }),
    route({
      method: 'POST',
      url: '/agent/v1/deployments/:id/release',
      auth: 'agent',
      tag,
      summary:
        'Hand back a deployment the agent holds but has not started (the agent is shutting down): it is queued again at once. 409 invalid_state once a step may have started.',
      params: idParams,
      responses: { 200: z.object({ deployment: deploymentSchema }) },
      handler: async ({ principal, params }) => ({
        deployment: await platform.queue.release(principal, params.id),
      }),
    }),
    route({
      method: 'POST',
      url: '/agent/v1/deployments/:id/oidc-token',
      auth: 'agent',
      tag,
      summary: 'Mint the OIDC token of a running deployment the agent holds (audited).',
      params: idParams,
      body: tokenRequestSchema.optional(),
      responses: { 200: tokenResponseSchema },
      handler: mint,
      core: mint,
    }),
  ]
}
