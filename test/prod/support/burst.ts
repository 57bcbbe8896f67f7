/**
 * A burst of deployments over a cluster: one organization, many environments (one deployment
 * runs at a time in each), agents attached to given replicas, deployments created by several
 * clients at once through the resilient client. Each step appends its deployment id to a file
 * (the side effect counted to prove nothing ran twice). A fault may be injected once the burst
 * reaches a point. Used by test/prod/replica-faults.test.ts and bench/replicas.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Json } from '../../e2e/support/stack.js'
import type { AgentProc, Cluster } from './cluster.js'
import { resilientClient, type ClientFault, type ResilientClient } from './client.js'

export const FINAL = ['succeeded', 'failed', 'cancelled']

export interface Progress {
  /** Creates answered so far. */
  readonly created: number
  /** Steps that ran so far (the side effects written). */
  readonly ran: number
}

export interface BurstOptions {
  readonly deployments: number
  readonly environments: number
  /** The replica each agent talks to (default four agents: [0, 1, 0, 1]). */
  readonly agents?: readonly number[]
  /** Deployments each agent runs at once (default 2). */
  readonly concurrency?: number
  /** What the step does after recording its side effect (default nothing more). */
  readonly step?: string
  /** Clients creating deployments at once (default 4). */
  readonly creators?: number
  /** Injected once, when `when` first holds; the burst goes on meanwhile. */
  readonly fault?: {
    readonly when: (progress: Progress) => boolean
    readonly run: (agents: readonly AgentProc[]) => Promise<void>
  }
  readonly timeoutMs?: number
  /** Added to each agent's environment. */
  readonly agentEnv?: Readonly<Record<string, string>>
  /** Called once every agent polls, just before the first create is sent. */
  readonly onStart?: (agents: readonly AgentProc[]) => void | Promise<void>
}

export interface BurstResult {
  /** The ids the creating clients were answered, in order. */
  readonly ids: readonly string[]
  /** Every deployment of the burst's organization, as the control plane has them at the end. */
  readonly deployments: readonly Json[]
  /** How often each deployment's step ran. */
  readonly runs: ReadonlyMap<string, number>
  readonly faults: readonly ClientFault[]
  readonly agents: readonly AgentProc[]
  /** When the first create was sent, and when the last deployment was seen final. */
  readonly startedAt: number
  readonly endedAt: number
}

async function listAll(client: ResilientClient, org: string): Promise<Json[]> {
  const items: Json[] = []
  let cursor: string | null = null
  do {
    const page: Json = await client.call(
      'GET',
      `/api/v1/organizations/${org}/deployments?limit=200${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    )
    items.push(...(page.items as Json[]))
    cursor = page.nextCursor as string | null
  } while (cursor !== null)
  return items
}

async function prepare(
  client: ResilientClient,
  ran: string,
  options: BurstOptions,
): Promise<{ org: string; token: string; envs: string[] }> {
  const org = await client.call('POST', '/api/v1/organizations', { name: 'burst' })
  const token = await client.call(
    'POST',
    `/api/v1/organizations/${org.id}/agent-tokens`,
    { name: 'burst' },
    { secretAnswer: true },
  )
  const project = await client.call('POST', `/api/v1/organizations/${org.id}/projects`, {
    name: 'burst',
  })
  const step = `echo "$KEYLESS_DEPLOYMENT_ID" >> '${ran}'${options.step === undefined ? '' : `; ${options.step}`}`
  const template = await client.call('POST', `/api/v1/organizations/${org.id}/templates`, {
    name: 'burst',
    type: 'custom',
    steps: [{ name: 'mark', run: step }],
  })
  const envs: string[] = []
  for (let i = 0; i < options.environments; i++) {
    const env = await client.call('POST', `/api/v1/projects/${project.id}/environments`, {
      name: `e${i}`,
      templateId: template.id,
    })
    envs.push(env.id as string)
  }
  return { org: org.id as string, token: token.token as string, envs }
}

function countRuns(ran: string): Map<string, number> {
  const runs = new Map<string, number>()
  if (!existsSync(ran)) return runs
  for (const id of readFileSync(ran, 'utf8').split('\n'))
    if (id !== '') runs.set(id, (runs.get(id) ?? 0) + 1)
  return runs
}

export async function runBurst(cluster: Cluster, options: BurstOptions): Promise<BurstResult> {
  const client = resilientClient(cluster)
  const file = join(cluster.dir, `ran-${Date.now()}`)
  const { org, token, envs } = await prepare(client, file, options)
  const agents = (options.agents ?? [0, 1, 0, 1]).map((replica, i) =>
    cluster.startAgent(replica, token, {
      concurrency: options.concurrency ?? 2,
      name: `agent-${i}`,
      ...(options.agentEnv === undefined ? {} : { env: options.agentEnv }),
    }),
  )
  // The agents start from source; the burst begins once every one of them polls.
  const deadline = Date.now() + (options.timeoutMs ?? 120_000)
  while (!agents.every((a) => a.proc.output().includes(' polling '))) {
    if (Date.now() > deadline) throw new Error('burst: the agents did not start')
    await new Promise((r) => setTimeout(r, 100))
  }
  await options.onStart?.(agents)
  const ids: string[] = []
  let index = 0
  const startedAt = Date.now()
  const create = async (): Promise<void> => {
    while (index < options.deployments) {
      const env = envs[index++ % envs.length]
      ids.push((await client.call('POST', `/api/v1/environments/${env}/deployments`, {})).id)
    }
  }
  const creators = Array.from({ length: options.creators ?? 4 }, create)
  let fault: Promise<void> | undefined
  let deployments: Json[] = []
  // Progress comes from the side-effect file (cheap); the list, which costs the control plane a
  // few queries per queued deployment, is read only once everything ran, or every 2 s.
  let listedAt = 0
  for (;;) {
    const ran = [...countRuns(file).values()].reduce((a, b) => a + b, 0)
    if (fault === undefined && options.fault?.when({ created: ids.length, ran }) === true)
      fault = options.fault.run(agents)
    const created = ids.length === options.deployments
    if (created && (ran >= options.deployments || Date.now() - listedAt >= 2000)) {
      deployments = await listAll(client, org)
      listedAt = Date.now()
      if (deployments.every((d) => FINAL.includes(d.status as string))) break
    }
    if (Date.now() > deadline) throw new Error(`burst: ${ran} ran, not every deployment final`)
    await new Promise((r) => setTimeout(r, 250))
  }
  const endedAt = Date.now()
  await Promise.all(creators)
  await fault
  return {
    ids,
    deployments,
    runs: countRuns(file),
    faults: client.faults,
    agents,
    startedAt,
    endedAt,
  }
}
