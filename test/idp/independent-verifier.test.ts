// The identity provider's discovery document, JWKS and tokens, served over loopback HTTP and
// verified by PyJWT (an independent JOSE stack) that finds the key through discovery, as AWS does.
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createIdentityProvider, type ManagedIdentityProvider } from '../../src/idp/index.js'
import { epochSeconds, systemClock, type Clock } from '../../src/shared/clock.js'
import { silentLogger } from '../../src/shared/logger.js'
import type { TokenContext } from '../../src/shared/token-context.js'
import { createTestDatabase, type TestDatabase } from './stores.js'
import { expectDesignClaims, pyjwtAvailable, verifyWithPyJwt } from './pyjwt.js'

const context: TokenContext = {
  organizationId: 'org_a1',
  organizationName: 'Acme Ltd',
  projectId: 'prj_b2',
  projectName: 'Network',
  templateId: 'tpl_c3',
  templateName: 'VPC',
  environmentId: 'env_d4',
  environmentName: 'staging',
  deploymentId: 'dep_e5',
  deploymentType: 'destroy',
  deployerEmail: 'ops+ci@example.com',
  userTag: 'change 42',
  audience: 'aws:org_a1',
  subjectTemplate: 'org:{organizationId}:env:{environmentId}:dep:{deploymentId}',
  sessionTags: true,
}

interface Served {
  readonly issuer: string
  readonly idp: ManagedIdentityProvider
}

describe.skipIf(!pyjwtAvailable())('independent verification with PyJWT (PyJWKClient)', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })

  /** An IdentityProvider served at http://127.0.0.1:<port><suffix>. */
  async function serve(
    suffix: string,
    options: { signingAlg?: 'RS256' | 'ES256'; clock?: Clock; db?: TestDatabase } = {},
  ): Promise<Served> {
    const db = options.db ?? (await createTestDatabase('sqlite'))
    if (options.db === undefined) cleanups.push(() => db.cleanup())
    const ready: { idp?: ManagedIdentityProvider } = {}
    const server: Server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0]
      const idp = ready.idp
      if (idp === undefined) return void res.writeHead(503).end()
      if (path === '/.well-known/openid-configuration')
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(idp.discovery()))
      if (path === '/.well-known/jwks.json')
        return void idp
          .jwks()
          .then((jwks) =>
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)),
          )
      res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        }),
    )
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${suffix}`
    const idp = await createIdentityProvider({
      issuerUrl: issuer,
      store: db.store,
      masterKey: randomBytes(32),
      clock: options.clock ?? systemClock,
      logger: silentLogger(),
      signingAlg: options.signingAlg ?? 'RS256',
      tokenTtlSeconds: 600,
      keyPrepublishSeconds: 3600,
    })
    ready.idp = idp
    cleanups.push(() => idp.close())
    return { issuer, idp }
  }

  it.each([
    ['RS256', ''],
    ['ES256', ''],
    ['RS256', '/'],
  ] as const)(
    '%s token, issuer %j after the port, verifies with every claim of docs/architecture.md §3',
    async (alg, suffix) => {
      const { issuer, idp } = await serve(suffix, { signingAlg: alg })
      const before = epochSeconds(systemClock)
      const minted = await idp.mint(context)
      const after = epochSeconds(systemClock)
      const result = await verifyWithPyJwt(minted.token, issuer, context.audience)
      expect(result.discovery['issuer']).toBe(issuer)
      expect(result.header).toEqual({ alg, kid: minted.kid, typ: 'JWT' })
      expect(result.jwk).toEqual({
        kid: minted.kid,
        kty: alg === 'RS256' ? 'RSA' : 'EC',
        use: 'sig',
      })
      expectDesignClaims(result.claims, {
        issuer,
        context,
        subject: 'org:org_a1:env:env_d4:dep:dep_e5',
        ttlSeconds: 600,
        mintedAfter: before,
        mintedBefore: after,
      })
    },
  )

  it('refuses a token for another audience and one whose issuer lost its trailing slash', async () => {
    const { issuer, idp } = await serve('/')
    const minted = await idp.mint(context)
    await expect(verifyWithPyJwt(minted.token, issuer, 'aws:other')).rejects.toThrow(
      /InvalidAudience/,
    )
    await expect(
      verifyWithPyJwt(minted.token, issuer.replace(/\/$/u, ''), context.audience),
    ).rejects.toThrow(/discovery issuer/)
  })

  it('verifies across a rotation: tokens of the old and the new key, each found by kid', async () => {
    const { issuer, idp } = await serve('')
    const before = await idp.mint(context)
    const rotated = await idp.rotate({ prepublishSeconds: 0 })
    const after = await idp.mint(context)
    expect(after.kid).toBe(rotated.kid)
    expect(after.kid).not.toBe(before.kid)
    for (const minted of [before, after]) {
      const verified = await verifyWithPyJwt(minted.token, issuer, context.audience)
      expect(verified.jwk.kid).toBe(minted.kid)
    }
  })
})
