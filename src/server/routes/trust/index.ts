/**
 * Trust tools for the web console: lint a trust policy with the organization's issuer and
 * audience (and Google workload identity providers), explain what AWS would answer for an environment's next token, generate the AWS setup
 * (`keyless setup aws`) and the Entra side (`keyless setup azure`), and the issuer's thumbprint. The CLI has the same tools offline.
 */
import type { RouteDeps } from '../../deps.js'
import type { AnyRoute } from '../../routing.js'
import { explainRoute } from './explain.js'
import { lintRoute } from './lint.js'
import { lintGcpRoute } from './lint-gcp.js'
import { setupRoute } from './setup.js'
import { setupAzureRoute } from './setup-azure.js'
import { setupGcpRoute } from './setup-gcp.js'
import { thumbprintRoute } from './thumbprint.js'

export function trustRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    lintRoute(deps),
    lintGcpRoute(deps),
    explainRoute(deps),
    setupRoute(deps),
    setupAzureRoute(deps),
    setupGcpRoute(deps),
    thumbprintRoute(deps),
  ]
}
