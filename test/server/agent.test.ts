/**
 * The agent API and the queue: claim (long poll, 200/204), heartbeat, logs, status, token mint,
 * leases under a frozen clock, and exactly-once claims with concurrent claimers on both dialects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  claimResponseSchema,
  heartbeatResponseSchema,
} from '../../src/shared/contracts/agent-api.js'
import { storeFactories } from '../support/stores.js'
import { seed, startHarness, type Harness } from './harness.js'

describe('agent API', () => {
  let h: Harness
  let s: Awaited<ReturnType<typeof seed>>
  beforeAll(async () => {
    h = await startHarness()
    s = await seed(h)
  })
  afterAll(async () => {
    await h.close()
  })

  const agent = (method: string, url: string, body?: unknown) =>
    h.call(method, url, { key: s.keys.agent, ...(body === undefined ? {} : { body }) })

  it('answers 204 when nothing is queued', async () => {
    const res = await agent('POST', '/agent/v1/claim', { waitSeconds: 0 })
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
  })

  it('wakes a long poll when a deployment is queued', async () => {
    const pending = agent('POST', '/agent/v1/claim', { waitSeconds: 10, agentName: 'host-1' })
    await new Promise((r) => setTimeout(r, 50))
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    ).json()
    const res = await pending
    expect(res.statusCode).toBe(200)
    const body = claimResponseSchema.parse(res.json())
    expect(body.deployment.id).toBe(dep.id)
    expect(body.leaseExpiresAt).toBe('2026-11-25T12:01:00.000Z')
    await agent('POST', `/agent/v1/deployments/${dep.id}/status`, { status: 'cancelled' })
  })

  it('runs a deployment through its life: claim, running, steps, logs, token, success', async () => {
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`, {
        key: s.keys.deployer,
      })
    ).json()
    const claim = claimResponseSchema.parse(
      (await agent('POST', '/agent/v1/claim', { waitSeconds: 0 })).json(),
    )
    expect(claim.deployment).toMatchObject({
      id: dep.id,
      status: 'claimed',
      organizationName: 'acme',
      projectName: 'web',
      environmentName: 'prod',
      deployerEmail: 'deployer@acme.example',
      template: {
        type: 'custom',
        steps: [{ name: 'say', run: 'echo hi' }],
        path: null,
        repository: null,
      },
      credential: {
        id: s.credential.id,
        roleArn: 'arn:aws:iam::123456789012:role/deploy',
        roleSource: 'credential',
        durationSeconds: 3600,
        region: 'us-east-1',
        sessionTags: true,
        refresh: true,
      },
      credentialError: null,
    })
    const hb = heartbeatResponseSchema.parse(
      (await agent('POST', `/agent/v1/deployments/${dep.id}/heartbeat`)).json(),
    )
    expect(hb).toEqual({
      leaseExpiresAt: '2026-11-25T12:01:00.000Z',
      cancelRequested: false,
      status: 'claimed',
    })
    const running = await agent('POST', `/agent/v1/deployments/${dep.id}/status`, {
      status: 'running',
      step: { index: 0, name: 'say', status: 'running' },
    })
    expect(running.json().deployment).toMatchObject({
      status: 'running',
      steps: [{ index: 0, name: 'say', status: 'running', exitCode: null }],
    })
    const logs = await agent('POST', `/agent/v1/deployments/${dep.id}/logs`, {
      lines: [{ stream: 'stdout', text: 'hi' }],
    })
    expect(logs.statusCode).toBe(204)
    const token = await agent('POST', `/agent/v1/deployments/${dep.id}/oidc-token`)
    expect(token.statusCode).toBe(200)
    expect(token.json()).toEqual({
      token: expect.stringMatching(/^ey/),
      expiresAt: '2026-11-25T12:10:00.000Z',
    })
    const done = await agent('POST', `/agent/v1/deployments/${dep.id}/status`, {
      status: 'succeeded',
      step: { index: 0, name: 'say', status: 'succeeded', exitCode: 0 },
      assumedRoleArn: `arn:aws:sts::123456789012:assumed-role/deploy/${dep.id}`,
    })
    expect(done.json().deployment).toMatchObject({
      status: 'succeeded',
      finishedAt: expect.any(String),
      assumedRoleArn: expect.stringContaining(dep.id),
      lastTokenClaims: expect.objectContaining({ deploymentId: dep.id }),
    })
    // Finished: the lease is gone.
    expect(
      (await agent('POST', `/agent/v1/deployments/${dep.id}/heartbeat`)).json().error.code,
    ).toBe('lease_lost')
    expect(
      (await agent('POST', `/agent/v1/deployments/${dep.id}/status`, { status: 'failed' }))
        .statusCode,
    ).toBe(409)
    const audit = (
      await h.call('GET', `/api/v1/organizations/${s.org.id}/audit?deploymentId=${dep.id}`)
    ).json()
    expect(audit.items.map((e: { action: string }) => e.action).reverse()).toEqual([
      'deployment.created',
      'deployment.claimed',
      'deployment.role_resolved',
      'deployment.started',
      'token.minted',
      'deployment.finished',
    ])
    // which agent acted, and which key queued it, by name
    const byAction = new Map(audit.items.map((e: { action: string }) => [e.action, e]))
    expect(byAction.get('token.minted')).toMatchObject({ actorType: 'agent', actorName: 'agent-1' })
    expect(byAction.get('deployment.created')).toMatchObject({
      actorType: 'api-key',
      actorName: null,
    })
  })

  it('passes a cancel request to the running agent through its heartbeat', async () => {
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    ).json()
    await agent('POST', '/agent/v1/claim', { waitSeconds: 0 })
    await agent('POST', `/agent/v1/deployments/${dep.id}/status`, { status: 'running' })
    const cancel = await h.call('POST', `/api/v1/deployments/${dep.id}/cancel`)
    expect(cancel.json()).toMatchObject({ status: 'running', cancelRequested: true })
    expect(
      (await agent('POST', `/agent/v1/deployments/${dep.id}/heartbeat`)).json().cancelRequested,
    ).toBe(true)
    const final = await agent('POST', `/agent/v1/deployments/${dep.id}/status`, {
      status: 'cancelled',
      message: 'stopped by request',
    })
    expect(final.json().deployment.status).toBe('cancelled')
  })

  it('tells a claimed agent its deployment was cancelled before it started', async () => {
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    ).json()
    await agent('POST', '/agent/v1/claim', { waitSeconds: 0 })
    expect((await h.call('POST', `/api/v1/deployments/${dep.id}/cancel`)).json().status).toBe(
      'cancelled',
    )
    const res = await agent('POST', `/agent/v1/deployments/${dep.id}/status`, { status: 'running' })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('lease_lost')
  })

  it('requeues an expired claim and fails an expired run with agent lost (frozen clock)', async () => {
    // Two environments: one deployment at a time per environment.
    const other = (
      await h.call('POST', `/api/v1/projects/${s.project.id}/environments`, {
        body: { name: 'other', templateId: s.template.id },
      })
    ).json()
    const a = (await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)).json()
    const b = (await h.call('POST', `/api/v1/environments/${other.id}/deployments`)).json()
    await agent('POST', '/agent/v1/claim', { waitSeconds: 0 })
    await agent('POST', '/agent/v1/claim', { waitSeconds: 0 })
    await agent('POST', `/agent/v1/deployments/${b.id}/status`, { status: 'running' })
    h.clock.advance(59_000)
    await h.app.platform.queue.sweep()
    expect((await h.call('GET', `/api/v1/deployments/${a.id}`)).json().status).toBe('claimed')
    h.clock.advance(2_000)
    await h.app.platform.queue.sweep()
    expect((await h.call('GET', `/api/v1/deployments/${a.id}`)).json()).toMatchObject({
      status: 'queued',
      leaseExpiresAt: null,
      agentName: null,
    })
    const lost = (await h.call('GET', `/api/v1/deployments/${b.id}`)).json()
    expect(lost).toMatchObject({
      status: 'failed',
      message: 'agent lost',
      failure: { code: 'agent_lost' },
    })
    expect((await agent('POST', `/agent/v1/deployments/${b.id}/oidc-token`)).statusCode).toBe(409)
    // The requeued one is claimed again (once) and can finish.
    const again = await agent('POST', '/agent/v1/claim', { waitSeconds: 0 })
    expect(again.json().deployment.id).toBe(a.id)
    await agent('POST', `/agent/v1/deployments/${a.id}/status`, {
      status: 'failed',
      failure: { message: 'test' },
    })
    const audit = (
      await h.call('GET', `/api/v1/organizations/${s.org.id}/audit?action=deployment.agent_lost`)
    ).json()
    expect(audit.items[0]).toMatchObject({ deploymentId: b.id, actorType: 'system' })
  })

  it('stores a re-sent log batch and final report once, and refuses a batch that leaves a gap', async () => {
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    ).json()
    await agent('POST', '/agent/v1/claim', { waitSeconds: 0 })
    await agent('POST', `/agent/v1/deployments/${dep.id}/status`, { status: 'running' })
    const lines = (...texts: string[]) => texts.map((text) => ({ stream: 'stdout', text }))
    const batches = [
      { firstSeq: 1, lines: lines('a', 'b') },
      { firstSeq: 1, lines: lines('a', 'b') },
      { firstSeq: 2, lines: lines('b', 'c') },
      { firstSeq: 4, lines: lines('d') },
    ]
    for (const batch of batches)
      expect((await agent('POST', `/agent/v1/deployments/${dep.id}/logs`, batch)).statusCode).toBe(
        204,
      )
    const gap = await agent('POST', `/agent/v1/deployments/${dep.id}/logs`, {
      firstSeq: 9,
      lines: lines('z'),
    })
    expect([gap.statusCode, gap.json().error.code]).toEqual([409, 'conflict'])
    const final = { status: 'succeeded', message: 'done' }
    for (let i = 0; i < 2; i++) {
      const res = await agent('POST', `/agent/v1/deployments/${dep.id}/status`, final)
      expect([res.statusCode, res.json().deployment.status]).toEqual([200, 'succeeded'])
    }
    const stored = (await h.call('GET', `/api/v1/deployments/${dep.id}/logs?format=json`)).json()
    expect(stored.items.map((l: { seq: number; text: string }) => [l.seq, l.text])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
    ])
    const audit = (
      await h.call('GET', `/api/v1/organizations/${s.org.id}/audit?deploymentId=${dep.id}`)
    ).json()
    const finished = audit.items.filter(
      (e: { action: string }) => e.action === 'deployment.finished',
    )
    expect(finished).toHaveLength(1)
  })

  it('requeues a run whose lease ran out before any step started (beforeSteps)', async () => {
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    ).json()
    await agent('POST', '/agent/v1/claim', { waitSeconds: 0 })
    const accepted = await agent('POST', `/agent/v1/deployments/${dep.id}/status`, {
      status: 'running',
      beforeSteps: true,
    })
    expect(accepted.json().deployment).toMatchObject({ status: 'running', startedAt: null })
    h.clock.advance(61_000)
    expect(await h.app.platform.queue.sweep()).toEqual({ requeued: [dep.id], failed: [] })
    expect((await h.call('GET', `/api/v1/deployments/${dep.id}`)).json()).toMatchObject({
      status: 'queued',
      agentName: null,
    })
    const again = await agent('POST', '/agent/v1/claim', { waitSeconds: 0 })
    expect(again.json().deployment.id).toBe(dep.id)
    await agent('POST', `/agent/v1/deployments/${dep.id}/status`, {
      status: 'running',
      beforeSteps: true,
    })
    const started = await agent('POST', `/agent/v1/deployments/${dep.id}/status`, {
      status: 'running',
    })
    expect(started.json().deployment.startedAt).toEqual(expect.any(String))
    h.clock.advance(61_000)
    expect(await h.app.platform.queue.sweep()).toEqual({ requeued: [], failed: [dep.id] })
  })

  it('takes back a deployment the agent has not started, and only that', async () => {
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    ).json()
    await agent('POST', '/agent/v1/claim', { waitSeconds: 0 })
    const back = await agent('POST', `/agent/v1/deployments/${dep.id}/release`)
    expect([back.statusCode, back.json().deployment.status]).toEqual([200, 'queued'])
    const again = await agent('POST', '/agent/v1/claim', { waitSeconds: 0 })
    expect(again.json().deployment.id).toBe(dep.id)
    await agent('POST', `/agent/v1/deployments/${dep.id}/status`, { status: 'running' })
    const refused = await agent('POST', `/agent/v1/deployments/${dep.id}/release`)
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'invalid_state'])
    await agent('POST', `/agent/v1/deployments/${dep.id}/status`, { status: 'succeeded' })
  })

  it('reports a role that cannot be resolved as credentialError', async () => {
    await h.call('PUT', `/api/v1/environments/${s.environment.id}/variables/KEYLESS_AWS_ROLE_ARN`, {
      body: { value: 'not-an-arn' },
    })
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    ).json()
    const claim = (await agent('POST', '/agent/v1/claim', { waitSeconds: 0 })).json()
    expect(claim.deployment).toMatchObject({
      id: dep.id,
      credential: null,
      credentialError: expect.stringContaining('variable:KEYLESS_AWS_ROLE_ARN'),
    })
    await agent('POST', `/agent/v1/deployments/${dep.id}/status`, {
      status: 'failed',
      failure: { message: claim.deployment.credentialError },
    })
    await h.call(
      'DELETE',
      `/api/v1/environments/${s.environment.id}/variables/KEYLESS_AWS_ROLE_ARN`,
    )
  })
})

for (const factory of storeFactories) {
  describe.skipIf(!factory.available)(`exactly-once claims over HTTP (${factory.dialect})`, () => {
    let h: Harness
    let s: Awaited<ReturnType<typeof seed>>
    beforeAll(async () => {
      h = await startHarness({ store: await factory.open() })
      s = await seed(h)
    })
    afterAll(async () => {
      await h.close()
      await h.store.close()
    })

    it('two concurrent claimers run each of 40 deployments exactly once', async () => {
      const second = (
        await h.call('POST', `/api/v1/organizations/${s.org.id}/agent-tokens`, {
          body: { name: 'agent-2' },
        })
      ).json().token
      // Eight environments of five deployments: one at a time per environment, so each claimer
      // finishes what it claimed before it asks again.
      const envs: string[] = [s.environment.id]
      for (let i = 1; i < 8; i++)
        envs.push(
          (
            await h.call('POST', `/api/v1/projects/${s.project.id}/environments`, {
              body: { name: `many-${i}`, templateId: s.template.id },
            })
          ).json().id,
        )
      const ids: string[] = []
      for (let i = 0; i < 40; i++)
        ids.push(
          (await h.call('POST', `/api/v1/environments/${envs[i % 8]}/deployments`)).json().id,
        )
      const claimed: Record<string, string[]> = { one: [], two: [] }
      const done = (): number => claimed['one']!.length + claimed['two']!.length
      const claimer = async (name: 'one' | 'two', key: string) => {
        while (done() < 40) {
          const res = await h.call('POST', '/agent/v1/claim', {
            key,
            body: { waitSeconds: 0, agentName: name },
          })
          if (res.statusCode === 204) {
            await new Promise((r) => setTimeout(r, 5))
            continue
          }
          const id = res.json().deployment.id as string
          claimed[name]!.push(id)
          await h.call('POST', `/agent/v1/deployments/${id}/status`, {
            key,
            body: { status: 'succeeded' },
          })
        }
      }
      await Promise.all([claimer('one', s.keys.agent), claimer('two', second)])
      const all = [...claimed['one']!, ...claimed['two']!]
      expect(all.sort()).toEqual([...ids].sort())
      expect(new Set(all).size).toBe(40)
    })
  })
}
