/**
 * The routes outside the API: OIDC discovery and JWKS (computed by the identity provider), the
 * health and readiness probes and the OpenAPI document.
 */
import type { FastifyInstance } from 'fastify'
import type { IdentityProvider } from '../idp/types.js'
import type { Store } from '../store/database.js'
import { buildOpenApi } from './openapi.js'
import type { RouteRegistry } from './routing.js'

export function registerWellKnown(app: FastifyInstance, idp: IdentityProvider): void {
  app.get('/.well-known/openid-configuration', async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=300')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(idp.discovery())),
  )
  app.get('/.well-known/jwks.json', async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=300')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(await idp.jwks())),
  )
}

export function registerProbes(app: FastifyInstance, store: Store, idp: IdentityProvider): void {
  app.get('/healthz', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ ok: true }),
  )
  app.get('/readyz', async (_request, reply) => {
    const checks = {
      database: await store.ping().then(
        () => true,
        () => false,
      ),
      keys: idp.ready(),
    }
    const ok = checks.database && checks.keys
    return reply
      .status(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ ok, ...checks })
  })
}

/** Built on first request, from the routes' own declarations. */
export function registerOpenApi(app: FastifyInstance, routes: RouteRegistry, issuer: string): void {
  let openapi: Record<string, unknown> | undefined
  app.get('/api/v1/openapi.json', async (_request, reply) => {
    openapi ??= buildOpenApi(routes.routes, new URL(issuer).origin)
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(openapi))
  })
}
