/** `GET /organizations/{id}/thumbprint`: the thumbprint AWS asks for, computed as `keyless thumbprint` does. */
import {
  thumbprintResponseSchema,
  type ThumbprintResponse,
} from '../../../shared/contracts/trust.js'
import { computeThumbprint } from '../../../trust/thumbprint.js'
import type { RouteDeps } from '../../deps.js'
import { idParams, route, type AnyRoute } from '../../routing.js'
import { TAG } from './common.js'

async function thumbprintOf(issuer: string): Promise<ThumbprintResponse> {
  if (!/^https:/iu.test(issuer))
    return {
      thumbprint: null,
      message:
        'Not needed: this issuer is served over http on a loopback address (the keyless emulator accepts it without a thumbprint; real AWS needs an https issuer).',
    }
  try {
    const result = await computeThumbprint(issuer, { timeoutMs: 5000 })
    return {
      thumbprint: result.thumbprint,
      message: `SHA-1 of ${result.certificate.subject}, served by ${result.jwksHost}`,
    }
  } catch (error) {
    return {
      thumbprint: null,
      message: `Could not be computed from here: ${error instanceof Error ? error.message : String(error)}. Run keyless thumbprint ${issuer}.`,
    }
  }
}

export function thumbprintRoute(deps: RouteDeps): AnyRoute {
  return route({
    method: 'GET',
    url: '/api/v1/organizations/:id/thumbprint',
    auth: 'api-key',
    tag: TAG,
    summary:
      "The thumbprint AWS asks for when the issuer's IAM OIDC provider is created (null for a loopback http issuer).",
    params: idParams,
    responses: { 200: thumbprintResponseSchema },
    handler: async ({ principal, params }) => {
      await deps.platform.organizations.get(principal, params.id)
      return thumbprintOf(deps.idp.issuer)
    },
  })
}
