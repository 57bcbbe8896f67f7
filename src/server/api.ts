/** The REST API `/api/v1` and the agent API `/agent/v1`: every route group, registered in order. */
import type { FastifyInstance } from 'fastify'
import type { Platform } from '../platform/index.js'
import { authenticator } from './authenticate.js'
import type { RouteDeps } from './deps.js'
import { registerRoutes, type AnyRoute, type RouteRegistry } from './routing.js'
import { accessRoutes } from './routes/access.js'
import { agentRoutes } from './routes/agent.js'
import { agentPresenceRoutes } from './routes/agents.js'
import { auditRoutes } from './routes/audit.js'
import { credentialRoutes } from './routes/credentials.js'
import { deploymentRoutes } from './routes/deployments.js'
import { environmentRoutes } from './routes/environments.js'
import { logRoutes } from './routes/logs.js'
import { oidcRoutes } from './routes/oidc.js'
import { organizationRoutes } from './routes/organizations.js'
import { projectRoutes } from './routes/projects.js'
import { stateRoutes } from './routes/state.js'
import { templateRoutes } from './routes/templates.js'
import { trustRoutes } from './routes/trust/index.js'
import { variableRoutes } from './routes/variables.js'

const ROUTE_GROUPS: ReadonlyArray<(deps: RouteDeps) => AnyRoute[]> = [
  organizationRoutes,
  projectRoutes,
  templateRoutes,
  environmentRoutes,
  variableRoutes,
  credentialRoutes,
  deploymentRoutes,
  stateRoutes,
  logRoutes,
  accessRoutes,
  agentPresenceRoutes,
  auditRoutes,
  oidcRoutes,
  trustRoutes,
  agentRoutes,
]

/** Registers every route group; returns the registry the OpenAPI document is built from. */
export function registerApi(
  app: FastifyInstance,
  platform: Platform,
  deps: RouteDeps,
): RouteRegistry {
  const registry: RouteRegistry = { routes: [] }
  const authenticate = authenticator(platform)
  const options = { idempotency: platform.idempotency, closing: deps.closing }
  for (const group of ROUTE_GROUPS)
    registerRoutes(app, registry, authenticate, group(deps), options)
  return registry
}
