/**
 * OIDC endpoints and minting through the control plane: discovery and JWKS from the identity
 * provider, organization settings, the preview, manual mints (audited), the stop-minting switch,
 * and tokens verified against the published JWKS.
 */
import { createLocalJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ISSUER, ROLE_ARN, seed, startHarness, type Harness } from './harness.js'

let h: Harness
let s: Awaited<ReturnType<typeof seed>>

beforeAll(async () => {
  h = await startHarness()
  s = await seed(h)
})
afterAll(async () => {
  await h.close()
})

describe('well-known documents', () => {
  it('serves discovery and JWKS from the identity provider with Cache-Control', async () => {
    const d = await h.call('GET', '/.well-known/openid-configuration', { key: null })
    expect(d.statusCode).toBe(200)
    expect(d.headers['cache-control']).toMatch(/max-age=\d+/)
    expect(d.json()).toEqual(h.idp.discovery())
    expect(d.json().issuer).toBe(ISSUER)
    const j = await h.call('GET', '/.well-known/jwks.json', { key: null })
    expect(j.headers['cache-control']).toMatch(/max-age=\d+/)
    expect(j.json()).toEqual(await h.idp.jwks())
  })
})

describe('organization OIDC settings and preview', () => {
  it('shows what AWS needs', async () => {
    const res = (
      await h.call('GET', `/api/v1/organizations/${s.org.id}/oidc`, { key: s.keys.viewer })
    ).json()
    expect(res).toEqual({
      issuer: ISSUER,
      jwksUri: `${ISSUER}/.well-known/jwks.json`,
      audience: `aws:${s.org.id}`,
      subjectTemplate: s.org.subjectTemplate,
      exampleSubject: `org:${s.org.id}:project:<projectId>:environment:<environmentId>:type:deploy`,
      conditionKeyPrefix: '127.0.0.1:8080',
      previousSubjectTemplate: null,
      previousExampleSubject: null,
      sessionTags: true,
      mintingStopped: false,
    })
  })

  it('previews the next token of an environment with its role', async () => {
    const res = await h.call(
      'GET',
      `/api/v1/environments/${s.environment.id}/oidc-preview?type=plan`,
      { key: s.keys.viewer },
    )
    expect(res.statusCode).toBe(200)
    const p = res.json()
    expect(p).toMatchObject({
      roleArn: ROLE_ARN,
      roleSource: 'credential',
      durationSeconds: 3600,
      credentialId: s.credential.id,
      omittedTags: [],
    })
    expect(p.claims).toMatchObject({
      iss: ISSUER,
      aud: `aws:${s.org.id}`,
      sub: `org:${s.org.id}:project:${s.project.id}:environment:${s.environment.id}:type:plan`,
      environmentName: 'prod',
      deployerEmail: 'viewer@acme.example',
    })
  })

  it('shows the role override source in the preview', async () => {
    const override = 'arn:aws:iam::210987654321:role/override'
    await h.call('PUT', `/api/v1/projects/${s.project.id}/variables/ENV0_AWS_ROLE_ARN`, {
      body: { value: override },
    })
    const p = (await h.call('GET', `/api/v1/environments/${s.environment.id}/oidc-preview`)).json()
    expect(p).toMatchObject({ roleArn: override, roleSource: 'variable:ENV0_AWS_ROLE_ARN' })
    await h.call('DELETE', `/api/v1/projects/${s.project.id}/variables/ENV0_AWS_ROLE_ARN`)
  })
})

describe('manual mint', () => {
  it('mints for a queued deployment, audits it with the requester, and the token verifies', async () => {
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    ).json()
    const res = await h.call('POST', `/api/v1/deployments/${dep.id}/oidc-token`, {
      key: s.keys.admin,
    })
    expect(res.statusCode).toBe(200)
    const { token, expiresAt } = res.json()
    expect(expiresAt).toBe('2026-11-25T12:10:00.000Z')
    const jwks = createLocalJWKSet(
      (await h.call('GET', '/.well-known/jwks.json', { key: null })).json(),
    )
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: ISSUER,
      audience: `aws:${s.org.id}`,
      currentDate: h.clock.now(),
    })
    expect(payload).toMatchObject({
      deploymentId: dep.id,
      deploymentType: 'deploy',
      deployerEmail: 'owner@example.com',
    })
    const audit = (
      await h.call('GET', `/api/v1/organizations/${s.org.id}/audit?action=token.minted_manually`)
    ).json()
    expect(audit.items[0]).toMatchObject({
      deploymentId: dep.id,
      actorType: 'api-key',
      actorEmail: 'admin@acme.example',
      details: {
        mode: 'manual',
        jti: payload.jti,
        kid: protectedHeader.kid,
        claimsDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
        roleArn: ROLE_ARN,
        roleSource: 'credential',
        roleSessionName: dep.id,
        omittedTags: [],
      },
    })
    expect(JSON.stringify(audit)).not.toContain(token)
    const after = (await h.call('GET', `/api/v1/deployments/${dep.id}`)).json()
    expect(after.lastTokenClaims).toMatchObject({ jti: payload.jti })
    await h.call('POST', `/api/v1/deployments/${dep.id}/cancel`)
  })

  it('lets the owner mint, but not a deployer', async () => {
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    ).json()
    expect((await h.call('POST', `/api/v1/deployments/${dep.id}/oidc-token`)).statusCode).toBe(200)
    expect(
      (await h.call('POST', `/api/v1/deployments/${dep.id}/oidc-token`, { key: s.keys.deployer }))
        .statusCode,
    ).toBe(403)
    await h.call('POST', `/api/v1/deployments/${dep.id}/cancel`)
  })

  it('refuses every mint while the organization has stopped minting', async () => {
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    ).json()
    const stopped = await h.call('PATCH', `/api/v1/organizations/${s.org.id}`, {
      key: s.keys.admin,
      body: { mintingStopped: true },
    })
    expect(stopped.json().mintingStopped).toBe(true)
    const manual = await h.call('POST', `/api/v1/deployments/${dep.id}/oidc-token`)
    expect(manual.statusCode).toBe(409)
    expect(manual.json().error.code).toBe('minting_stopped')
    await h.call('POST', '/agent/v1/claim', { key: s.keys.agent, body: { waitSeconds: 0 } })
    await h.call('POST', `/agent/v1/deployments/${dep.id}/status`, {
      key: s.keys.agent,
      body: { status: 'running' },
    })
    const agentMint = await h.call('POST', `/agent/v1/deployments/${dep.id}/oidc-token`, {
      key: s.keys.agent,
    })
    expect(agentMint.json().error.code).toBe('minting_stopped')
    expect(
      (await h.call('GET', `/api/v1/organizations/${s.org.id}/oidc`)).json().mintingStopped,
    ).toBe(true)
    await h.call('PATCH', `/api/v1/organizations/${s.org.id}`, { body: { mintingStopped: false } })
    expect(
      (await h.call('POST', `/agent/v1/deployments/${dep.id}/oidc-token`, { key: s.keys.agent }))
        .statusCode,
    ).toBe(200)
    const audit = (
      await h.call(
        'GET',
        `/api/v1/organizations/${s.org.id}/audit?action=organization.minting_stopped`,
      )
    ).json()
    expect(audit.items).toHaveLength(1)
    await h.call('POST', `/agent/v1/deployments/${dep.id}/status`, {
      key: s.keys.agent,
      body: { status: 'succeeded' },
    })
  })

  it("records an agent mint's run phase with the mint; a refused mint leaves it as it was", async () => {
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    ).json()
    await h.call('POST', '/agent/v1/claim', { key: s.keys.agent, body: { waitSeconds: 0 } })
    await h.call('POST', `/agent/v1/deployments/${dep.id}/status`, {
      key: s.keys.agent,
      body: { status: 'running' },
    })
    const mint = (runPhase: string) =>
      h.call('POST', `/agent/v1/deployments/${dep.id}/oidc-token`, {
        key: s.keys.agent,
        body: { runPhase },
      })
    const runPhase = async () =>
      (await h.call('GET', `/api/v1/deployments/${dep.id}`)).json().runPhase as unknown
    await h.call('PATCH', `/api/v1/organizations/${s.org.id}`, { body: { mintingStopped: true } })
    expect((await mint('plan')).json().error.code).toBe('minting_stopped')
    expect(await runPhase()).toBeNull()
    await h.call('PATCH', `/api/v1/organizations/${s.org.id}`, { body: { mintingStopped: false } })
    expect((await mint('plan')).statusCode).toBe(200)
    expect(await runPhase()).toBe('plan')
    expect((await mint('apply')).statusCode).toBe(200)
    expect(await runPhase()).toBe('apply')
    await h.call('POST', `/agent/v1/deployments/${dep.id}/status`, {
      key: s.keys.agent,
      body: { status: 'succeeded' },
    })
  })

  it('keeps the previous subject template when it changes', async () => {
    const template = 'org:{organizationId}:env:{environmentId}:type:{deploymentType}'
    await h.call('PATCH', `/api/v1/organizations/${s.org.id}`, {
      body: { subjectTemplate: template },
    })
    const res = (await h.call('GET', `/api/v1/organizations/${s.org.id}/oidc`)).json()
    expect(res).toMatchObject({
      subjectTemplate: template,
      previousSubjectTemplate: s.org.subjectTemplate,
      exampleSubject: `org:${s.org.id}:env:<environmentId>:type:deploy`,
    })
    const p = (await h.call('GET', `/api/v1/environments/${s.environment.id}/oidc-preview`)).json()
    expect(p.claims.sub).toBe(`org:${s.org.id}:env:${s.environment.id}:type:deploy`)
  })
})
