import { agentPresenceSchema } from '../../shared/contracts/resources.js'
import type { RouteDeps } from '../deps.js'
import { idParams, route, type AnyRoute } from '../routing.js'

/** Which agents serve an organization, so `keyless deploy --wait` can say when none does. */
export function agentPresenceRoutes({ platform }: RouteDeps): AnyRoute[] {
  return [
    route({
      method: 'GET',
      url: '/api/v1/organizations/:id/agents',
      auth: 'api-key',
      tag: 'access',
      summary:
        'The agents that serve an organization: its agent tokens that were used, newest first, and whether one was used within `windowSeconds` (`serving`).',
      params: idParams,
      responses: { 200: agentPresenceSchema },
      handler: ({ principal, params }) => platform.agentTokens.presence(principal, params.id),
    }),
  ]
}
