/**
 * `keyless server` replicas as real processes on one database, sharing the master key, the
 * owner key and the issuer URL (the first replica's address, as a load balancer's would be), and
 * `keyless agent`s pointed at any replica (or several). Every process is killed by `stop()`.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  freePort,
  startProcess,
  waitForUrl,
  type Json,
  type Proc,
} from '../../e2e/support/stack.js'

export interface Replica {
  readonly url: string
  proc: Proc
  /** SIGKILL (or the given signal) and wait for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>
  /** Starts the replica again on the same port and waits until it is ready. */
  restart(): Promise<void>
}

export interface AgentProc {
  proc: Proc
  kill(signal?: NodeJS.Signals): Promise<void>
  restart(): void
}

export interface Cluster {
  readonly replicas: readonly Replica[]
  readonly adminKey: string
  readonly issuer: string
  readonly dir: string
  /** The environment every replica shares (master key, owner key, issuer): for CLI commands. */
  readonly env: Readonly<Record<string, string>>
  api<T = Json>(replica: number, method: string, path: string, body?: unknown): Promise<T>
  /** `replica`: the index of the replica the agent talks to, or several, in order (failover). */
  startAgent(
    replica: number | readonly number[],
    token: string,
    options?: {
      concurrency?: number
      name?: string
      args?: readonly string[]
      /** Added to the agent's environment (e.g. KEYLESS_LOG_LEVEL). */
      env?: Readonly<Record<string, string>>
    },
  ): AgentProc
  stop(): Promise<void>
}

export interface ClusterOptions {
  /** PostgreSQL URL; without it each replica keeps SQLite in its own data dir (use one replica). */
  readonly database?: string
  readonly replicas: number
  readonly leaseSeconds?: number
  readonly env?: Readonly<Record<string, string>>
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-cluster-'))
  const adminKey = `kl_owner_${randomBytes(12).toString('hex')}`
  const ports = await Promise.all(Array.from({ length: options.replicas }, () => freePort()))
  const issuer = `http://127.0.0.1:${ports[0]}`
  const env = {
    KEYLESS_ADMIN_KEY: adminKey,
    KEYLESS_MASTER_KEY: randomBytes(32).toString('hex'),
    KEYLESS_LEASE_SECONDS: String(options.leaseSeconds ?? 10),
    KEYLESS_ISSUER_URL: issuer,
    ...(options.database === undefined ? {} : { KEYLESS_DATABASE_URL: options.database }),
    ...options.env,
  }
  const procs = new Set<Proc>()
  const launch = (i: number): Proc => {
    const proc = startProcess(
      ['server', '--port', String(ports[i]), '--data-dir', join(dir, `replica-${i}`)],
      env,
    )
    procs.add(proc)
    return proc
  }
  const replicas: Replica[] = ports.map((port, i) => {
    const url = `http://127.0.0.1:${port}`
    const replica: Replica = {
      url,
      proc: launch(i),
      kill: (signal = 'SIGKILL') => replica.proc.kill(signal),
      async restart() {
        replica.proc = launch(i)
        await waitForUrl(`${url}/readyz`, replica.proc)
      },
    }
    return replica
  })
  // The first replica creates the schema and the owner key; the others start on it.
  for (const r of replicas) await waitForUrl(`${r.url}/readyz`, r.proc)

  let agents = 0
  return {
    replicas,
    adminKey,
    issuer,
    dir,
    env,
    async api<T = Json>(replica: number, method: string, path: string, body?: unknown) {
      const res = await fetch(`${replicas[replica]?.url ?? ''}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await res.text()
      if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`)
      return (text === '' ? undefined : JSON.parse(text)) as T
    },
    startAgent(replica, token, agentOptions = {}) {
      agents += 1
      const n = agents
      const launchAgent = (): Proc => {
        const proc = startProcess(
          [
            'agent',
            '--server',
            (typeof replica === 'number' ? [replica] : replica)
              .map((i) => replicas[i]?.url ?? '')
              .join(','),
            '--work-dir',
            join(dir, `agent-${n}`),
            '--concurrency',
            String(agentOptions.concurrency ?? 2),
            '--name',
            agentOptions.name ?? `agent-${n}`,
            '--claim-wait',
            '2',
            '--cancel-grace',
            '1',
            ...(agentOptions.args ?? []),
          ],
          { KEYLESS_AGENT_TOKEN: token, ...options.env, ...agentOptions.env },
        )
        procs.add(proc)
        return proc
      }
      const agent: AgentProc = {
        proc: launchAgent(),
        kill: (signal = 'SIGKILL') => agent.proc.kill(signal),
        restart() {
          agent.proc = launchAgent()
        },
      }
      return agent
    },
    async stop() {
      await Promise.all([...procs].map((p) => p.kill('SIGKILL')))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
