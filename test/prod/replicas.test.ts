/**
 * Two `keyless server` replicas on one PostgreSQL database, as real processes, and what holds
 * across them (docs/operations.md, "Replicas"):
 * - a log read as Server-Sent Events from replica A while the agent reports to replica B is
 *   complete and in order, across a reconnect with Last-Event-ID;
 * - `keyless keys rotate` while both replicas mint without pause: every token verifies against
 *   either replica's JWKS and is accepted by the emulator, and no replica signed with the new key
 *   before every replica's JWKS held it;
 * - a revoked API key or agent token is refused by the other replica within 5 seconds.
 */
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, startProcess, waitForUrl, type Json, type Proc } from '../e2e/support/stack.js'
import { createRole, ensureProvider, generatedTrustPolicy } from '../e2e/support/world.js'
import { startCluster, type Cluster } from './support/cluster.js'
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/database.js'
import { mintThroughRotation } from './support/rotation.js'
import { streamSse, type SseEvent } from './support/sse.js'

const LINES = 60
/** The shortest pre-publication window `keys rotate` accepts. */
const PREPUBLISH_SECONDS = 10
/** Replicas stop accepting a revoked key or token within this (docs/operations.md). */
const REVOCATION_BOUND_MS = 5000

describe.skipIf(!postgresAvailable)('two replicas on PostgreSQL', () => {
  let db: TestDatabase
  let cluster: Cluster
  let emulator: Proc
  let emulatorUrl: string

  beforeAll(async () => {
    db = await createTestDatabase()
    const port = await freePort()
    emulatorUrl = `http://127.0.0.1:${port}`
    emulator = startProcess([
      'emulator',
      '--port',
      String(port),
      '--azure-port',
      '0',
      '--gcp-port',
      '0',
    ])
    cluster = await startCluster({ database: db.url, replicas: 2 })
    await waitForUrl(`${emulatorUrl}/_keyless/health`, emulator)
  }, 90_000)
  afterAll(async () => {
    await emulator?.kill('SIGKILL')
    await cluster?.stop()
    await db?.drop()
  })

  /** An organization with one environment whose one step is `run`. */
  async function environment(name: string, run: string): Promise<{ org: Json; env: string }> {
    const org = await cluster.api(0, 'POST', '/api/v1/organizations', { name })
    const project = await cluster.api(0, 'POST', `/api/v1/organizations/${org.id}/projects`, {
      name,
    })
    const template = await cluster.api(0, 'POST', `/api/v1/organizations/${org.id}/templates`, {
      name,
      type: 'custom',
      steps: [{ name: 'step', run }],
    })
    const env = await cluster.api(0, 'POST', `/api/v1/projects/${project.id}/environments`, {
      name,
      templateId: template.id,
    })
    return { org, env: env.id as string }
  }

  it('a log read from replica A while the agent reports to B is complete and in order, across a reconnect', async () => {
    const { org, env } = await environment(
      'sse',
      `for i in $(seq 1 ${LINES}); do echo line-$i; sleep 0.05; done`,
    )
    const token = await cluster.api(0, 'POST', `/api/v1/organizations/${org.id}/agent-tokens`, {
      name: 'sse',
    })
    cluster.startAgent(1, token.token, { concurrency: 1 })
    const id = (await cluster.api(1, 'POST', `/api/v1/environments/${env}/deployments`, {})).id
    const url = `${cluster.replicas[0]!.url}/api/v1/deployments/${id}/logs`
    const logs = (events: readonly SseEvent[]): Json[] =>
      events.filter((e) => e.event === 'log').map((e) => e.data as Json)

    // A goes away after a third of the lines, while the step still prints.
    const first = await streamSse(url, cluster.adminKey, {
      enough: (events) => logs(events).length >= LINES / 3,
    })
    expect((await cluster.api(0, 'GET', `/api/v1/deployments/${id}`)).status).toBe('running')
    const lastId = first.filter((e) => e.event === 'log').at(-1)?.id
    expect(lastId).toBe(String(logs(first).at(-1).seq))
    const rest = await streamSse(url, cluster.adminKey, { lastEventId: lastId! })

    const lines = [...logs(first), ...logs(rest)]
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1))
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual(
      Array.from({ length: LINES }, (_, i) => `line-${i + 1}`),
    )
    expect(rest.at(-1)).toMatchObject({ event: 'end', data: { status: 'succeeded' } })
  }, 90_000)

  it('keys rotate under continuous minting on both replicas: no token fails verification anywhere', async () => {
    const { org, env } = await environment('rotation', 'true')
    const oidc = await cluster.api(0, 'GET', `/api/v1/organizations/${org.id}/oidc`)
    await ensureProvider(emulatorUrl, oidc.issuer, [org.audience])
    const trust = generatedTrustPolicy({ ...org, issuer: oidc.issuer, agentToken: '' })
    const roleArn = await createRole(emulatorUrl, 'rotation', trust)
    // No agent serves this organization: the deployment stays queued, and may be minted for.
    const deployment = await cluster.api(0, 'POST', `/api/v1/environments/${env}/deployments`, {})

    const run = await mintThroughRotation(cluster, {
      deploymentId: deployment.id,
      prepublishSeconds: PREPUBLISH_SECONDS,
    })
    expect(run.failures).toEqual([])
    const kids = new Set(run.tokens.map((t) => t.kid))
    expect(kids.size).toBe(2)
    expect(kids.has(run.newKid)).toBe(true)

    // Nothing signed with a key before every replica's JWKS held it.
    const early = run.tokens.filter((t) =>
      run.firstSeen.some((seen) => !((seen.get(t.kid) ?? Infinity) < t.sentAt)),
    )
    expect(early.map((t) => ({ replica: t.replica, kid: t.kid }))).toEqual([])
    const firstNew = Math.min(
      ...run.tokens.filter((t) => t.kid === run.newKid).map((t) => t.sentAt),
    )
    expect(firstNew).toBeGreaterThanOrEqual(run.activatesAt - 1000)

    // Every token verifies against either replica's JWKS.
    for (const replica of cluster.replicas) {
      const jwks = (await (
        await fetch(`${replica.url}/.well-known/jwks.json`)
      ).json()) as JSONWebKeySet
      const keys = createLocalJWKSet(jwks)
      const failed: string[] = []
      for (const t of run.tokens)
        await jwtVerify(t.token, keys, { issuer: oidc.issuer, audience: org.audience }).catch(
          (error: unknown) => failed.push(`${t.kid}: ${String(error)}`),
        )
      expect(failed).toEqual([])
    }

    // The emulator (fetching the issuer's JWKS itself) accepts the first tokens of the new key
    // from each replica, all at once, and a sample of the rest.
    const sts = new STSClient({ region: 'us-east-1', endpoint: emulatorUrl })
    const newOnes = cluster.replicas.flatMap((_, r) =>
      run.tokens.filter((t) => t.replica === r && t.kid === run.newKid).slice(0, 8),
    )
    const sample = [...newOnes, ...run.tokens.filter((_, i) => i % 25 === 0)]
    const answers = await Promise.allSettled(
      sample.map((t, i) =>
        sts.send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: roleArn,
            RoleSessionName: `rotation-${i}`,
            WebIdentityToken: t.token,
          }),
        ),
      ),
    )
    expect(answers.filter((a) => a.status === 'rejected').map((a) => String(a.reason))).toEqual([])
  }, 120_000)

  it('a key or token revoked on replica A is refused by replica B within 5 s', async () => {
    const org = await cluster.api(0, 'POST', '/api/v1/organizations', { name: 'revocation' })
    const key = await cluster.api(0, 'POST', `/api/v1/organizations/${org.id}/api-keys`, {
      role: 'admin',
      email: 'revoked@example.com',
    })
    const agent = await cluster.api(0, 'POST', `/api/v1/organizations/${org.id}/agent-tokens`, {
      name: 'revoked',
    })
    const b = cluster.replicas[1]!.url
    const probes = {
      'API key': {
        revoke: `/api/v1/organizations/${org.id}/api-keys/${key.id}`,
        probe: () =>
          fetch(`${b}/api/v1/organizations/${org.id}`, {
            headers: { authorization: `Bearer ${key.key}` },
          }),
      },
      'agent token': {
        revoke: `/api/v1/organizations/${org.id}/agent-tokens/${agent.id}`,
        probe: () =>
          fetch(`${b}/agent/v1/claim`, {
            method: 'POST',
            headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ waitSeconds: 0 }),
          }),
      },
    }
    for (const [what, { revoke, probe }] of Object.entries(probes)) {
      // B has been accepting it right up to the revocation (its cache, if any, is warm).
      for (let i = 0; i < 10; i++) expect((await probe()).status, what).toBeLessThan(300)
      await cluster.api(0, 'DELETE', revoke)
      // Monotonic time: a step of the wall clock (seen on these VMs) must not end the wait early.
      const revokedAt = performance.now()
      const acceptedLate: number[] = []
      let refusedAt: number | undefined
      while (
        refusedAt === undefined &&
        performance.now() < revokedAt + REVOCATION_BOUND_MS + 2000
      ) {
        const sentAt = performance.now()
        const status = (await probe()).status
        if (status === 401) refusedAt = sentAt
        else if (sentAt >= revokedAt + REVOCATION_BOUND_MS) acceptedLate.push(sentAt - revokedAt)
        else await new Promise((r) => setTimeout(r, 50))
      }
      expect({ what, acceptedLate }).toEqual({ what, acceptedLate: [] })
      expect(refusedAt, `${what} never refused by B`).toBeDefined()
      // And it stays refused.
      for (let i = 0; i < 5; i++) expect((await probe()).status, what).toBe(401)
    }
  }, 60_000)
})
