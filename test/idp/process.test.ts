// Issue 2, point 9: `keyless server` as a process on a free loopback port; a deployment made
// through the REST API with the bootstrap admin key; a token minted through
// `POST /api/v1/deployments/{id}/oidc-token` and verified by PyJWT, which finds the key through
// the published discovery document; then `keyless keys rotate` against the server's database
// and the new key showing up in the served JWKS (polled; no timing assertion).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimsDigest } from '../../src/idp/index.js'
import { DEFAULT_SUBJECT_TEMPLATE, renderSubject } from '../../src/shared/subject-template.js'
import type { TokenContext } from '../../src/shared/token-context.js'
import { expectDesignClaims, pyjwtAvailable, verifyWithPyJwt } from './pyjwt.js'
import {
  apiClient,
  createMintFixture,
  runKeyless,
  startServer,
  type MintFixture,
  type ServerProcess,
} from './server-process.js'

describe.skipIf(!pyjwtAvailable())('keyless server process: mint and verify independently', () => {
  let dataDir: string
  let server: ServerProcess
  let fixture: MintFixture
  let call: ReturnType<typeof apiClient>

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'keyless-idp-process-'))
    server = await startServer(dataDir)
    call = apiClient(server.url, server.adminKey)
    fixture = await createMintFixture(call)
  }, 120_000)

  afterAll(async () => {
    await server?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('serves the discovery document and JWKS computed from the configuration', async () => {
    const discovery = (await (
      await fetch(`${server.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>
    expect(discovery).toMatchObject({
      issuer: server.url,
      jwks_uri: `${server.url}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      response_types_supported: ['id_token'],
      scopes_supported: ['openid'],
    })
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
      keys: Array<Record<string, unknown>>
    }
    expect(jwks.keys).toHaveLength(1)
    expect(Object.keys(jwks.keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use'])
  })

  it('mints a token that PyJWT verifies through discovery, with every claim of docs/architecture.md §3', async () => {
    const before = Math.floor(Date.now() / 1000)
    const { token, expiresAt } = await call<{ token: string; expiresAt: string }>(
      'POST',
      `/api/v1/deployments/${fixture.deployment.id}/oidc-token`,
    )
    const after = Math.ceil(Date.now() / 1000)
    const o = fixture.organization
    const context: TokenContext = {
      organizationId: o.id,
      organizationName: o.name,
      projectId: fixture.project.id,
      projectName: fixture.project.name,
      templateId: fixture.template.id,
      templateName: fixture.template.name,
      environmentId: fixture.environment.id,
      environmentName: fixture.environment.name,
      deploymentId: fixture.deployment.id,
      deploymentType: 'deploy',
      deployerEmail: 'admin@localhost',
      userTag: fixture.userTag,
      audience: `aws:${o.id}`,
      subjectTemplate: DEFAULT_SUBJECT_TEMPLATE,
      sessionTags: true,
    }
    const result = await verifyWithPyJwt(token, server.url, context.audience)
    expect(result.header).toMatchObject({ alg: 'RS256', typ: 'JWT' })
    expect(result.jwk).toMatchObject({ kid: result.header['kid'], kty: 'RSA', use: 'sig' })
    expectDesignClaims(result.claims, {
      issuer: server.url,
      context,
      subject: renderSubject(DEFAULT_SUBJECT_TEMPLATE, {
        organizationId: o.id,
        projectId: fixture.project.id,
        environmentId: fixture.environment.id,
        templateId: fixture.template.id,
        deploymentType: 'deploy',
        deploymentId: fixture.deployment.id,
        runPhase: 'apply',
      }),
      ttlSeconds: 600,
      mintedAfter: before,
      mintedBefore: after,
    })
    expect(Date.parse(expiresAt) / 1000).toBe(result.claims['exp'])

    // The caller audits what mint returned: jti, kid and the digest of exactly these claims.
    const audit = await call<{
      items: Array<{ action: string; details: Record<string, unknown> }>
    }>('GET', `/api/v1/organizations/${o.id}/audit`)
    const event = audit.items.find((e) => e.details['jti'] === result.claims['jti'])
    expect(event?.action).toBe('token.minted_manually')
    expect(event?.details).toMatchObject({
      kid: result.header['kid'],
      claimsDigest: claimsDigest(result.claims),
      omittedTags: [],
    })
  })

  it('picks up `keyless keys rotate` run against its database and serves the new key', async () => {
    const rotated = await runKeyless(['keys', 'rotate', '--data-dir', dataDir, '--json'])
    expect(rotated.stderr).toBe('')
    expect(rotated.code).toBe(0)
    const { key } = JSON.parse(rotated.stdout) as { key: { kid: string; state: string } }
    expect(key.state).toBe('pending')

    let served: string[] = []
    for (let i = 0; i < 100 && !served.includes(key.kid); i++) {
      await new Promise((r) => setTimeout(r, 250))
      const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
        keys: Array<{ kid: string }>
      }
      served = jwks.keys.map((k) => k.kid)
    }
    expect(served).toContain(key.kid)
    expect(served).toHaveLength(2)

    // Still pending: tokens keep coming from the first key.
    const { token } = await call<{ token: string }>(
      'POST',
      `/api/v1/deployments/${fixture.deployment.id}/oidc-token`,
    )
    const verified = await verifyWithPyJwt(token, server.url, fixture.organization.audience)
    expect(verified.header['kid']).not.toBe(key.kid)

    const listed = await runKeyless(['keys', 'list', '--data-dir', dataDir, '--json'])
    const { keys } = JSON.parse(listed.stdout) as { keys: Array<{ kid: string; state: string }> }
    expect(keys.map((k) => k.state)).toEqual(['active', 'pending'])
  })
})
