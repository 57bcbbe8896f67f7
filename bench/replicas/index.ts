/**
 * Replicas on PostgreSQL (issue 10's numbers): no-op deployments/s end to end with two
 * `keyless server` replicas and four agents beside the same on one replica; mints/s through both
 * replicas while `keyless keys rotate` takes effect; and how long a burst takes to recover when a
 * replica is SIGKILLed mid-burst. Every part is a real process (servers and agents from source),
 * as in test/prod; the drivers are test/prod/support/burst.ts and rotation.ts.
 */
import { loadavg } from 'node:os'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { runBurst, type BurstOptions, type BurstResult } from '../../test/prod/support/burst.js'
import { startCluster, type Cluster } from '../../test/prod/support/cluster.js'
import { createTestDatabase, postgresAvailable } from '../../test/prod/support/database.js'
import { mintThroughRotation, type RotationRun } from '../../test/prod/support/rotation.js'
import type { Json } from '../../test/e2e/support/stack.js'
import type { BenchSection } from '../types.js'

const DEPLOYMENTS = 300
const ENVIRONMENTS = 100
const CONCURRENCY = 4
const PREPUBLISH_SECONDS = 10
const MINTS_IN_FLIGHT = 4
/** The default lease: a replica's outage shorter than it costs no deployment. */
const LEASE_SECONDS = 60

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN
}

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

/** Runs `body` on a fresh database and cluster, and removes both after. */
async function withCluster<T>(replicas: number, body: (c: Cluster) => Promise<T>): Promise<T> {
  const db = await createTestDatabase()
  try {
    const cluster = await startCluster({ database: db.url, replicas, leaseSeconds: LEASE_SECONDS })
    try {
      return await body(cluster)
    } finally {
      await cluster.stop()
    }
  } finally {
    await db.drop()
  }
}

interface Throughput {
  readonly perSecond: number
  readonly p50: number
  readonly p99: number
  readonly seconds: number
}

/** From the deployments' own timestamps: first created → last finished, and each one's wait. */
function throughput(burst: BurstResult): Throughput {
  const created = burst.deployments.map((d: Json) => Date.parse(d.createdAt as string))
  const finished = burst.deployments.map((d: Json) => Date.parse(d.finishedAt as string))
  const span = Math.max(...finished) - Math.min(...created)
  const waits = burst.deployments.map((_, i) => finished[i]! - created[i]!)
  return {
    perSecond: burst.deployments.length / (span / 1000),
    p50: quantile(waits, 0.5),
    p99: quantile(waits, 0.99),
    seconds: span / 1000,
  }
}

const noFault = (agents: readonly number[]): BurstOptions => ({
  deployments: DEPLOYMENTS,
  environments: ENVIRONMENTS,
  agents,
  concurrency: CONCURRENCY,
})

interface Recovery {
  readonly burst: Throughput
  readonly succeeded: number
  /** The others, as `status/failure code` counts. */
  readonly others: string
  readonly restartMs: number
  readonly agentsBackMs: number
}

function outcomes(deployments: readonly Json[]): string {
  const counts = new Map<string, number>()
  for (const d of deployments) {
    const what = `${String(d.status)}/${String(d.failure?.code ?? '-')}`
    counts.set(what, (counts.get(what) ?? 0) + 1)
  }
  return [...counts].map(([what, n]) => `${n} ${what}`).join(', ')
}

/** Replica 1 SIGKILLed once a third of the burst finished, restarted at once. */
async function recovery(cluster: Cluster): Promise<Recovery> {
  const times = { killedAt: 0, readyAt: 0 }
  const burst = await burstOf(cluster, {
    ...noFault([0, 1, 0, 1]),
    fault: {
      when: ({ ran }) => ran >= DEPLOYMENTS / 3,
      run: async () => {
        const replica = cluster.replicas[1]!
        times.killedAt = Date.now()
        await replica.kill('SIGKILL')
        await replica.restart()
        times.readyAt = Date.now()
      },
    },
  })
  // Agents 1 and 3 talk to replica 1: when the first deployment they ran finished after the kill.
  const back = burst.deployments
    .filter((d: Json) => /^agent-[13]#/u.test(String(d.agentName)))
    .map((d: Json) => Date.parse(d.finishedAt as string))
    .filter((t) => t > times.killedAt)
  return {
    burst: throughput(burst),
    succeeded: burst.deployments.filter((d) => d.status === 'succeeded').length,
    others: outcomes(burst.deployments.filter((d) => d.status !== 'succeeded')),
    restartMs: times.readyAt - times.killedAt,
    agentsBackMs: Math.min(...back) - times.killedAt,
  }
}

/** Every token verified against each replica's JWKS; the count of failures. */
async function verificationFailures(
  cluster: Cluster,
  run: RotationRun,
  audience: string,
): Promise<number> {
  let failures = 0
  for (const replica of cluster.replicas) {
    const jwks = (await (
      await fetch(`${replica.url}/.well-known/jwks.json`)
    ).json()) as JSONWebKeySet
    const keys = createLocalJWKSet(jwks)
    for (const t of run.tokens)
      await jwtVerify(t.token, keys, { issuer: cluster.issuer, audience }).catch(
        () => (failures += 1),
      )
  }
  return failures
}

interface Minting {
  readonly run: RotationRun
  readonly failures: number
}

async function minting(cluster: Cluster): Promise<Minting> {
  const org = await cluster.api(0, 'POST', '/api/v1/organizations', { name: 'mint' })
  const project = await cluster.api(0, 'POST', `/api/v1/organizations/${org.id}/projects`, {
    name: 'p',
  })
  const template = await cluster.api(0, 'POST', `/api/v1/organizations/${org.id}/templates`, {
    name: 't',
    type: 'custom',
    steps: [{ name: 'noop', run: 'true' }],
  })
  const env = await cluster.api(0, 'POST', `/api/v1/projects/${project.id}/environments`, {
    name: 'e',
    templateId: template.id,
  })
  const deployment = await cluster.api(0, 'POST', `/api/v1/environments/${env.id}/deployments`, {})
  const run = await mintThroughRotation(cluster, {
    deploymentId: deployment.id,
    prepublishSeconds: PREPUBLISH_SECONDS,
    concurrency: MINTS_IN_FLIGHT,
    afterActivation: 400,
  })
  return { run, failures: await verificationFailures(cluster, run, org.audience as string) }
}

/** Mints/s over [from, to). */
function rate(run: RotationRun, from: number, to: number): number {
  return run.tokens.filter((t) => t.sentAt >= from && t.sentAt < to).length / ((to - from) / 1000)
}

/** A burst, its agents stopped after it (they would poll on through the next measurement). */
async function burstOf(cluster: Cluster, options: BurstOptions): Promise<BurstResult> {
  const burst = await runBurst(cluster, options)
  await Promise.all(burst.agents.map((a) => a.kill('SIGTERM')))
  return burst
}

export async function run(): Promise<BenchSection> {
  if (!postgresAvailable) throw new Error('bench/replicas needs PostgreSQL (test/support/env.ts)')
  const loadBefore = loadavg()[0] ?? 0
  const one = await withCluster(1, (c) => burstOf(c, noFault([0, 0, 0, 0])).then(throughput))
  const two = await withCluster(2, async (c) => {
    const burst = throughput(await burstOf(c, noFault([0, 1, 0, 1])))
    return { burst, minted: await minting(c), recovered: await recovery(c) }
  })
  const loadAfter = loadavg()[0] ?? 0
  const { run: mint, failures } = two.minted
  const t = two.recovered
  const row = (name: string, r: Throughput): Array<string | number> => [
    name,
    r.perSecond.toFixed(1),
    s(r.p50),
    s(r.p99),
    s(r.seconds * 1000),
  ]
  const activation = mint.activatesAt
  return {
    title:
      'Replicas on PostgreSQL: deployments/s, minting through a rotation, recovery from a killed replica',
    notes: [
      `${DEPLOYMENTS} deployments of a \`custom\` template whose one step appends its id to a file, over ${ENVIRONMENTS} environments (one deployment at a time each), created by four clients at once through the replicas in turn; four \`keyless agent\`s with concurrency ${CONCURRENCY} (attached to replicas 0,1,0,1, or all to the one replica). Every server and agent is a real process started from source (tsx) on one PostgreSQL database; the steps are real processes. Deployments/s is the burst's size over first \`createdAt\` → last \`finishedAt\`; queued → succeeded includes the wait in the queue behind the burst.`,
      `Minting: \`POST /api/v1/deployments/{id}/oidc-token\` with ${MINTS_IN_FLIGHT} requests in flight per replica through both replicas, while \`keyless keys rotate --prepublish ${PREPUBLISH_SECONDS}\` runs; minting goes on until each replica signed 400 tokens with the new key. Every token is then verified against each replica's JWKS (jose).`,
      `Recovery: the two-replica burst again; once a third ran, replica 1 is SIGKILLed and restarted at once. Its two agents keep their deployments (the lease, ${LEASE_SECONDS} s as by default, outlasts the outage) and their reports wait in their outboxes until it is back. Agents talk to one replica each (no load balancer in front), so "taken over" means the restarted replica serving its agents again.`,
      `Load average (1 min) ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after, on a machine shared with other work: these are upper bounds of the times and lower bounds of the rates.`,
    ],
    columns: ['run', 'deployments/s', 'queued → succeeded p50', 'p99', 'burst took'],
    rows: [
      row('1 replica, 4 agents', one),
      row('2 replicas, 4 agents', two.burst),
      row('2 replicas, replica 1 SIGKILLed at 1/3 and restarted', t.burst),
      [
        '**mints/s during the rotation** (both replicas)',
        rate(mint, mint.startedAt, mint.endedAt).toFixed(0),
        '',
        '',
        s(mint.endedAt - mint.startedAt),
      ],
      [
        'mints/s before the new key signs',
        rate(mint, mint.startedAt, activation).toFixed(0),
        '',
        '',
        '',
      ],
      [
        'mints/s in the 2 s after it signs',
        rate(mint, activation, activation + 2000).toFixed(0),
        '',
        '',
        '',
      ],
      [
        `tokens minted / mint errors / verification failures (× ${two.minted.run.firstSeen.length} JWKS)`,
        `${mint.tokens.length} / ${mint.failures.length} / ${failures}`,
        '',
        '',
        '',
      ],
      ['replica 1 SIGKILLed → restarted and ready', '', '', '', s(t.restartMs)],
      [
        'replica 1 SIGKILLed → first deployment of its agents finished',
        '',
        '',
        '',
        s(t.agentsBackMs),
      ],
    ],
    targets: [
      {
        target: 'every deployment of the burst with a replica SIGKILLed succeeded',
        measured: `${t.succeeded} of ${DEPLOYMENTS}${t.others === '' ? '' : ` (${t.others})`}`,
        met: t.succeeded === DEPLOYMENTS,
      },
      {
        target: '0 mint errors and 0 verification failures during a rotation',
        measured: `${mint.failures.length} and ${failures}`,
        met: mint.failures.length === 0 && failures === 0,
      },
    ],
  }
}
