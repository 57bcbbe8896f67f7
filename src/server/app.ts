import type { FastifyInstance } from 'fastify'
import type { IdentityProvider } from '../idp/types.js'
import { createPlatform, type Platform } from '../platform/index.js'
import { stateKey } from '../platform/state/seal.js'
import type { Clock } from '../shared/clock.js'
import type { Logger } from '../shared/logger.js'
import type { Store } from '../store/database.js'
import { registerApi } from './api.js'
import { registerConsole } from './console.js'
import { registerOpenApi, registerProbes, registerWellKnown } from './endpoints.js'
import { authenticator } from './authenticate.js'
import { createHttpApp } from './http.js'
import { leanPath } from './lean-path.js'
import { drainOnClose, sweepLeases } from './lifecycle.js'
import { countRequests, createMetrics, registerMetrics } from './metrics.js'
import { relayQueueSignals } from './queue-relay.js'
import { registerStateBackend } from './routes/state-backend.js'

export interface ServerConfig {
  /** Email of the owner key (becomes `deployerEmail`); default `admin@localhost`. */
  readonly adminEmail?: string
  /** Directory of the built web console; default `dist/web` of the package; null disables it. */
  readonly webRoot?: string | null
  /** Lease of a claim without heartbeat, seconds (default 60). */
  readonly leaseSeconds?: number
  /** How often expired leases are swept, ms (default 5000; 0 disables the timer). */
  readonly sweepIntervalMs?: number
  /** Largest Terraform state accepted, bytes (default 64 MiB). */
  readonly stateMaxBytes?: number
  /** A waiting claim looks at the queue at least this often, ms (default 1000). */
  readonly claimRecheckMs?: number
  /** Bearer token `/metrics` asks for; without it only loopback clients may scrape. */
  readonly metricsToken?: string
}

export interface ServerDeps {
  readonly store: Store
  readonly idp: IdentityProvider
  readonly clock: Clock
  readonly logger: Logger
  readonly platform?: Platform
  /** Master key: Terraform state is sealed under a key derived from it (see platform/state). */
  readonly masterKey?: Buffer
}

export type KeylessServer = FastifyInstance & { readonly platform: Platform }

function platformOf(config: ServerConfig, deps: ServerDeps): Platform {
  return (
    deps.platform ??
    createPlatform({
      store: deps.store,
      clock: deps.clock,
      logger: deps.logger,
      options: {
        ...(config.adminEmail === undefined ? {} : { ownerEmail: config.adminEmail }),
        ...(config.leaseSeconds === undefined ? {} : { leaseSeconds: config.leaseSeconds }),
        ...(deps.masterKey === undefined ? {} : { stateKey: stateKey(deps.masterKey) }),
        ...(config.stateMaxBytes === undefined ? {} : { stateMaxBytes: config.stateMaxBytes }),
        ...(config.claimRecheckMs === undefined ? {} : { claimRecheckMs: config.claimRecheckMs }),
      },
    })
  )
}

/**
 * The control plane (docs/architecture.md §1): REST API `/api/v1`, agent API `/agent/v1`, OIDC
 * endpoints, `/healthz`, `/metrics`, the OpenAPI document and the web console. Returns the app, not
 * listening: only the CLI listens.
 */
export async function buildServer(config: ServerConfig, deps: ServerDeps): Promise<KeylessServer> {
  const platform = platformOf(config, deps)
  const lean = leanPath()
  const app = createHttpApp(deps.logger, { serverFactory: lean.serverFactory })
  const metrics = createMetrics(platform)
  countRequests(app, metrics)
  const closing = drainOnClose(app)
  const { idp, clock } = deps
  const routes = registerApi(app, platform, { platform, idp, clock, closing, metrics })
  lean.serve({
    routes: routes.routes,
    authenticate: authenticator(platform),
    metrics,
    logger: deps.logger,
    closing,
  })
  await registerStateBackend(app, platform)
  registerWellKnown(app, idp)
  registerProbes(app, deps.store, idp)
  registerMetrics(app, metrics, config.metricsToken)
  registerOpenApi(app, routes, idp.issuer)
  await registerConsole(app, config.webRoot)
  sweepLeases(app, platform, config.sweepIntervalMs ?? 5000)
  relayQueueSignals(app, platform, deps.store, deps.logger)
  app.decorate('platform', platform)
  return app as unknown as KeylessServer
}
