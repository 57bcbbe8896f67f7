import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Platform } from '../platform/index.js'
import { KeylessError } from '../shared/errors.js'

/**
 * The control plane's Prometheus metrics (`GET /metrics`, docs/operations.md). Counters are per
 * process (sum them over replicas); the deployment gauges are read from the database at scrape
 * time, so every replica reports the same installation-wide numbers.
 */
export interface ServerMetrics {
  readonly registry: Registry
  readonly requests: Counter<'method' | 'route' | 'status'>
  readonly duration: Histogram<'method' | 'route'>
  readonly tokensMinted: Counter<'mode'>
  readonly deploymentsCreated: Counter
}

export function createMetrics(platform: Platform): ServerMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const registers = [registry]
  const leaseExpiries = new Counter({
    name: 'keyless_lease_expiries_total',
    help: 'Leases that ran out, by outcome: requeued (no step had started) or agent_lost.',
    labelNames: ['outcome'] as const,
    registers,
  })
  platform.events.on('leaseExpired', (_id, outcome) => leaseExpiries.inc({ outcome }))
  new Gauge({
    name: 'keyless_deployments',
    help: 'Deployments in the database, by status (installation-wide).',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      this.reset()
      for (const [status, count] of Object.entries(await platform.stats.deploymentsByStatus()))
        this.set({ status }, count)
    },
  })
  new Gauge({
    name: 'keyless_queue_depth',
    help: 'Deployments queued and not yet claimed (installation-wide).',
    registers,
    async collect() {
      this.set((await platform.stats.deploymentsByStatus())['queued'] ?? 0)
    },
  })
  return {
    registry,
    requests: new Counter({
      name: 'keyless_http_requests_total',
      help: 'HTTP requests by route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'keyless_http_request_duration_seconds',
      help: 'HTTP request duration.',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    }),
    tokensMinted: new Counter({
      name: 'keyless_tokens_minted_total',
      help: 'Deployment tokens minted, by mode (agent or manual).',
      labelNames: ['mode'] as const,
      registers,
    }),
    deploymentsCreated: new Counter({
      name: 'keyless_deployments_created_total',
      help: 'Deployments queued.',
      registers,
    }),
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/u

/**
 * Who may scrape: with a metrics token, whoever presents it (`Authorization: Bearer <token>`);
 * without one, loopback clients only (a reverse proxy on the same host must not pass /metrics on).
 */
export function checkScraper(request: FastifyRequest, token: string | undefined): void {
  if (token === undefined) {
    if (!LOOPBACK.test(request.socket.remoteAddress ?? ''))
      throw new KeylessError(
        'forbidden',
        '/metrics answers loopback clients only unless the server has a metrics token',
      )
    return
  }
  const header = request.headers.authorization ?? ''
  const presented = Buffer.from(header.replace(/^Bearer\s+/iu, ''))
  const expected = Buffer.from(token)
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
    throw new KeylessError('unauthorized', 'missing or wrong metrics token')
}

/** Every request counted and timed by route, and logged in one line (never its body). */
/** An answered request, as counted and logged (by Fastify's onResponse hook or the lean path). */
export interface AnsweredRequest {
  readonly method: string
  /** The route's URL pattern (`unmatched` without one). */
  readonly route: string
  /** The request's URL. */
  readonly url: string
  readonly status: number
  readonly elapsedMs: number
}

/** Counts the request, observes its duration and logs its `request` line on `log`. */
export function recordRequest(
  metrics: ServerMetrics,
  log: { info(fields: object, message: string): void },
  r: AnsweredRequest,
): void {
  metrics.requests.inc({ method: r.method, route: r.route, status: String(r.status) })
  metrics.duration.observe({ method: r.method, route: r.route }, r.elapsedMs / 1000)
  log.info(
    { method: r.method, path: r.url.split('?')[0], status: r.status, ms: Math.round(r.elapsedMs) },
    'request',
  )
}

export function countRequests(app: FastifyInstance, metrics: ServerMetrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    recordRequest(metrics, request.log, {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      url: request.url,
      status: reply.statusCode,
      elapsedMs: reply.elapsedTime,
    })
    done()
  })
}

export function registerMetrics(
  app: FastifyInstance,
  metrics: ServerMetrics,
  token: string | undefined,
): void {
  app.get('/metrics', async (request, reply) => {
    checkScraper(request, token)
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics())
  })
}
