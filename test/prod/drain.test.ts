/**
 * SIGTERM drains. The agent stops claiming, lets its running deployments finish and exits 0; the
 * server stops accepting, answers the requests in flight (a long poll gets its 204), closes the
 * database and exits 0. A clean restart of either loses, fails or repeats no deployment. Neither
 * waits longer than its `--drain-seconds`: what is still running or open then is cut off.
 */
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Json, Proc } from '../e2e/support/stack.js'
import { startCluster, type Cluster } from './support/cluster.js'
import { until } from './support/sse.js'

const exited = (proc: Proc): Promise<number | null> =>
  new Promise((resolve) => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) resolve(proc.child.exitCode)
    else proc.child.once('exit', (code) => resolve(code))
  })

/** The drain limits of this file; the bounds below allow generously for a loaded machine. */
const SERVER_DRAIN_SECONDS = 2
const AGENT_DRAIN_SECONDS = 1
const SLACK_MS = 10_000

/** A request whose body never finishes: it stays in flight until the server cuts it off. */
function stuckRequest(url: string, key: string): Promise<{ closedAt: number; answer: string }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST /api/v1/organizations HTTP/1.1\r\nHost: ${hostname}\r\n` +
          `Authorization: Bearer ${key}\r\nContent-Type: application/json\r\n` +
          'Content-Length: 1000\r\n\r\n{"name":',
      )
    })
    let answer = ''
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
    socket.on('error', () => undefined)
    socket.on('close', () => resolve({ closedAt: Date.now(), answer }))
    socket.setTimeout(120_000, () => reject(new Error('the server never closed the connection')))
  })
}

describe('SIGTERM drains the agent and the server', () => {
  let cluster: Cluster
  let org: Json
  let agentToken: string
  const ran = (): string => join(cluster.dir, 'ran')

  beforeAll(async () => {
    cluster = await startCluster({
      replicas: 1,
      leaseSeconds: 30,
      env: { KEYLESS_DRAIN_SECONDS: String(SERVER_DRAIN_SECONDS) },
    })
    org = await cluster.api(0, 'POST', '/api/v1/organizations', { name: 'drain' })
    agentToken = (
      await cluster.api(0, 'POST', `/api/v1/organizations/${org.id}/agent-tokens`, { name: 'a' })
    ).token
  }, 90_000)
  afterAll(async () => {
    await cluster?.stop()
  })

  async function environments(count: number, run?: string): Promise<string[]> {
    const template = await cluster.api(0, 'POST', `/api/v1/organizations/${org.id}/templates`, {
      name: 'slow',
      type: 'custom',
      steps: [{ name: 'work', run: run ?? `sleep 2; echo "$KEYLESS_DEPLOYMENT_ID" >> '${ran()}'` }],
    })
    const project = await cluster.api(0, 'POST', `/api/v1/organizations/${org.id}/projects`, {
      name: 'p',
    })
    const ids: string[] = []
    for (let i = 0; i < count; i++) {
      const env = await cluster.api(0, 'POST', `/api/v1/projects/${project.id}/environments`, {
        name: `e${i}`,
        templateId: template.id,
      })
      ids.push(env.id as string)
    }
    return ids
  }
  const deploy = async (env: string): Promise<string> =>
    (await cluster.api(0, 'POST', `/api/v1/environments/${env}/deployments`, {})).id as string
  const get = (id: string): Promise<Json> => cluster.api(0, 'GET', `/api/v1/deployments/${id}`)
  const whenStatus = (id: string, statuses: string[]): Promise<Json> =>
    until(
      `${id} to be ${statuses.join('|')}`,
      async () => {
        const d = await get(id)
        return statuses.includes(d.status) && (d.status !== 'running' || d.startedAt !== null)
          ? d
          : undefined
      },
      60_000,
    )

  it('the agent finishes what runs, claims nothing more and exits 0', async () => {
    const envs = await environments(3)
    const agent = cluster.startAgent(0, agentToken, { concurrency: 2 })
    const ids = [await deploy(envs[0]!), await deploy(envs[1]!)]
    for (const id of ids) await whenStatus(id, ['running'])
    const waiting = await deploy(envs[2]!)
    // The third may be claimed in the instant the signal comes: it is handed back, not run.
    await agent.kill('SIGTERM')
    expect(await exited(agent.proc)).toBe(0)
    for (const id of ids) expect((await get(id)).status).toBe('succeeded')
    expect((await get(waiting)).status).toBe('queued')

    const next = cluster.startAgent(0, agentToken, { concurrency: 2 })
    expect((await whenStatus(waiting, ['succeeded', 'failed'])).status).toBe('succeeded')
    const lines = readFileSync(ran(), 'utf8').trim().split('\n')
    expect(lines.sort()).toEqual([...ids, waiting].sort())
    await next.kill('SIGTERM')
  }, 90_000)

  it('the server answers requests in flight, exits 0 and loses nothing over a restart', async () => {
    const envs = await environments(2)
    const agent = cluster.startAgent(0, agentToken, { concurrency: 2 })
    const ids = [await deploy(envs[0]!), await deploy(envs[1]!)]
    for (const id of ids) await whenStatus(id, ['running'])
    // A long poll of another organization's agent is in flight when the signal comes.
    const other = await cluster.api(0, 'POST', '/api/v1/organizations', { name: 'idle' })
    const idle = await cluster.api(0, 'POST', `/api/v1/organizations/${other.id}/agent-tokens`, {
      name: 'idle',
    })
    const [server] = cluster.replicas
    if (server === undefined) throw new Error('one replica expected')
    const poll = fetch(`${server.url}/agent/v1/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${idle.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ waitSeconds: 20 }),
    })
    await new Promise((r) => setTimeout(r, 300))
    await server.kill('SIGTERM')
    expect((await poll).status).toBe(204)
    expect(await exited(server.proc)).toBe(0)
    await server.restart()

    for (const id of ids)
      expect((await whenStatus(id, ['succeeded', 'failed', 'cancelled'])).status).toBe('succeeded')
    const lines = readFileSync(ran(), 'utf8').trim().split('\n')
    for (const id of ids) expect(lines.filter((l) => l === id)).toEqual([id])
    await agent.kill('SIGTERM')
    expect(await exited(agent.proc)).toBe(0)
  }, 90_000)

  it('the agent cancels what still runs after --drain-seconds and exits 0', async () => {
    const [env] = await environments(1, 'echo started; sleep 120')
    const agent = cluster.startAgent(0, agentToken, {
      concurrency: 1,
      args: ['--drain-seconds', String(AGENT_DRAIN_SECONDS)],
    })
    const id = await deploy(env!)
    await until('the step to print', async () => {
      const logs = await cluster.api(0, 'GET', `/api/v1/deployments/${id}/logs?format=json`)
      return (logs.items as Json[]).some((l) => l.text === 'started') ? true : undefined
    })
    const signalled = Date.now()
    await agent.kill('SIGTERM')
    expect(await exited(agent.proc)).toBe(0)
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(AGENT_DRAIN_SECONDS * 1000)
    expect(Date.now() - signalled).toBeLessThan(AGENT_DRAIN_SECONDS * 1000 + SLACK_MS)
    expect(await get(id)).toMatchObject({
      status: 'failed',
      message: 'the agent was stopped during the deployment',
    })
  }, 90_000)

  it('the server cuts off a request still open after --drain-seconds and exits 0', async () => {
    const [server] = cluster.replicas
    if (server === undefined) throw new Error('one replica expected')
    const stuck = stuckRequest(server.url, cluster.adminKey)
    // The request is in flight: its headers arrived, its body never will.
    await new Promise((r) => setTimeout(r, 300))
    const signalled = Date.now()
    await server.kill('SIGTERM')
    const { closedAt, answer } = await stuck
    expect(await exited(server.proc)).toBe(0)
    expect(answer).toBe('')
    expect(closedAt - signalled).toBeGreaterThanOrEqual(SERVER_DRAIN_SECONDS * 1000)
    expect(closedAt - signalled).toBeLessThan(SERVER_DRAIN_SECONDS * 1000 + SLACK_MS)
    expect(server.proc.output()).toContain(`waiting up to ${SERVER_DRAIN_SECONDS} s`)
  }, 90_000)
})
