import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify'
import type { IdentityProvider } from '../idp/types.js'
import { createPlatform, type Platform, type Principal } from '../platform/index.js'
import { stateKey } from '../platform/state/seal.js'
import type { Clock } from '../shared/clock.js'
import { KeylessError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import type { Store } from '../store/database.js'
import type { RouteDeps } from './deps.js'
import { errorBody, installErrorHandler } from './errors.js'
import { buildOpenApi } from './openapi.js'
import { checkScraper, createMetrics } from './metrics.js'
import { registerRoutes, type AuthKind, type RouteRegistry } from './routing.js'
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
import { registerStateBackend } from './routes/state-backend.js'
import { stateRoutes } from './routes/state.js'
import { templateRoutes } from './routes/templates.js'
import { trustRoutes } from './routes/trust.js'
import { variableRoutes } from './routes/variables.js'

export const BODY_LIMIT = 1024 * 1024

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

const here = dirname(fileURLToPath(import.meta.url))
/** `<package>/dist/web`, from both `src/server` and `dist/server`. */
export const DEFAULT_WEB_ROOT = resolve(here, '..', '..', 'dist', 'web')

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (header === undefined) return undefined
  const m = /^Bearer\s+(\S+)\s*$/iu.exec(header)
  return m?.[1]
}

/**
 * The control plane (docs/architecture.md §1): REST API `/api/v1`, agent API `/agent/v1`, OIDC
 * endpoints, `/healthz`, `/metrics`, the OpenAPI document and the web console. Returns the app, not
 * listening: only the CLI listens.
 */
export async function buildServer(config: ServerConfig, deps: ServerDeps): Promise<KeylessServer> {
  const platform =
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
      },
    })
  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: false,
    // On close, idle keep-alive connections go at once and requests in flight finish (SIGTERM
    // drains, docs/operations.md); long polls and log streams end through `closing`.
    forceCloseConnections: 'idle',
    // Errors Fastify raises before routing (a URL that does not decode) get the same body.
    frameworkErrors: (error, _request, raw) => {
      const reply = raw as unknown as FastifyReply
      void reply
        .status(400)
        .type('application/json; charset=utf-8')
        .send(errorBody(new KeylessError('bad_request', error.message)))
    },
  })

  // JSON bodies: an empty body is "no body"; anything unparsable is a 400 bad_request.
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT },
    (_req, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8')
      if (text.trim() === '') {
        done(null, undefined)
        return
      }
      try {
        done(null, JSON.parse(text))
      } catch {
        done(new KeylessError('bad_request', 'the request body is not valid JSON'), undefined)
      }
    },
  )
  installErrorHandler(app)

  const { registry, requests, duration, tokensMinted, deploymentsCreated } = createMetrics(platform)
  app.addHook('onResponse', (request, reply, done) => {
    const routeUrl = request.routeOptions.url ?? 'unmatched'
    requests.inc({ method: request.method, route: routeUrl, status: String(reply.statusCode) })
    duration.observe({ method: request.method, route: routeUrl }, reply.elapsedTime / 1000)
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    )
    done()
  })

  // Authentication: API keys on /api/v1, agent tokens on /agent/v1.
  async function authenticate(kind: AuthKind, request: FastifyRequest): Promise<Principal> {
    if (kind === 'none') return { kind: 'system' }
    const secret = bearer(request)
    if (secret === undefined)
      throw new KeylessError(
        'unauthorized',
        `missing Authorization: Bearer <${kind === 'agent' ? 'agent token' : 'API key'}>`,
      )
    const principal =
      kind === 'agent'
        ? await platform.authenticateAgent(secret)
        : await platform.authenticateKey(secret)
    if (principal === null)
      throw new KeylessError(
        'unauthorized',
        kind === 'agent' ? 'unknown or revoked agent token' : 'unknown or revoked API key',
      )
    return principal
  }

  const closing = new AbortController()
  app.addHook('preClose', (done) => {
    closing.abort()
    done()
  })
  // Draining: every answer closes its connection, so keep-alive clients cannot hold it open.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing.signal.aborted) void reply.header('connection', 'close')
    done(null, payload)
  })
  const routeDeps: RouteDeps = {
    platform,
    idp: deps.idp,
    clock: deps.clock,
    closing: closing.signal,
    metrics: { tokensMinted, deploymentsCreated },
  }
  const registryOfRoutes: RouteRegistry = { routes: [] }
  for (const group of [
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
  ])
    registerRoutes(app, registryOfRoutes, authenticate, group(routeDeps), {
      idempotency: platform.idempotency,
      closing: closing.signal,
    })

  await registerStateBackend(app, platform)

  // OIDC endpoints, computed by the identity provider.
  app.get('/.well-known/openid-configuration', async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=300')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(deps.idp.discovery())),
  )
  app.get('/.well-known/jwks.json', async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=300')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(await deps.idp.jwks())),
  )
  app.get('/healthz', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ ok: true }),
  )
  app.get('/readyz', async (_request, reply) => {
    const checks = {
      database: await deps.store.ping().then(
        () => true,
        () => false,
      ),
      keys: deps.idp.ready(),
    }
    const ok = checks.database && checks.keys
    return reply
      .status(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ ok, ...checks })
  })
  app.get('/metrics', async (request, reply) => {
    checkScraper(request, config.metricsToken)
    return reply.type(registry.contentType).send(await registry.metrics())
  })
  let openapi: Record<string, unknown> | undefined
  app.get('/api/v1/openapi.json', async (_request, reply) => {
    openapi ??= buildOpenApi(registryOfRoutes.routes, new URL(deps.idp.issuer).origin)
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(openapi))
  })

  // The web console, with SPA fallback, when it was built.
  const webRoot = config.webRoot === undefined ? DEFAULT_WEB_ROOT : config.webRoot
  const hasWeb = webRoot !== null && existsSync(join(webRoot, 'index.html'))
  if (hasWeb)
    await app.register((await import('@fastify/static')).default, {
      root: webRoot,
      wildcard: false,
      index: 'index.html',
    })
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    const api = /^\/(api|agent|\.well-known)(\/|$)/u.test(path)
    if (hasWeb && !api && (request.method === 'GET' || request.method === 'HEAD'))
      return reply.sendFile('index.html')
    return reply
      .status(404)
      .type('application/json; charset=utf-8')
      .send(errorBody(new KeylessError('not_found', `no route ${request.method} ${path}`)))
  })

  // Leases of vanished agents are swept in the background too (claims also sweep).
  const sweepMs = config.sweepIntervalMs ?? 5000
  if (sweepMs > 0) {
    const timer = setInterval(() => {
      platform.queue
        .sweep()
        .catch((error: unknown) => app.log.error({ err: error }, 'lease sweep failed'))
    }, sweepMs)
    timer.unref()
    app.addHook('onClose', (_instance, done) => {
      clearInterval(timer)
      done()
    })
  }

  app.decorate('platform', platform)
  return app as unknown as KeylessServer
}
