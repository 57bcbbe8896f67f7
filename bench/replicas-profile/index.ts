/**
 * Where a no-op deployment's time goes with two `keyless server` replicas on PostgreSQL and four
 * agents (issue 15): the burst of bench/replicas (test/prod/support/burst.ts), with each
 * deployment's phases from the timestamps the control plane keeps and the agent logs, the time
 * the agents' workers spent between deployments, CPU seconds per deployment of every process
 * (/proc), the requests per deployment by route (the replicas' /metrics) and, in a second,
 * smaller burst with PostgreSQL's statement log on for the bench's role, the statements.
 */
import { runBurst, type BurstOptions } from '../../test/prod/support/burst.js'
import { startCluster, type AgentProc, type Cluster } from '../../test/prod/support/cluster.js'
import {
  createTestDatabase,
  postgresAvailable,
  type TestDatabase,
} from '../../test/prod/support/database.js'
import type { BenchSection } from '../types.js'
import { quantile } from '../support/quantile.js'
import { finishedLines } from './agent-log.js'
import { routesSince, scrapeRoutes, type RouteTimes } from './http-metrics.js'
import { sampleBackends } from './pg-backends.js'
import { PHASES, timelines, workerTime, type WorkerTime } from './phases.js'
import { cpuOf, cpuSince, type CpuTimes } from './proc-cpu.js'
import { logStatements, type StatementTotals } from './statements.js'

const DEPLOYMENTS = 300
const ENVIRONMENTS = 100
/** The statement-log burst: smaller, the log costs PostgreSQL a line per parse, bind and execute. */
const LOGGED_DEPLOYMENTS = 100
const LOGGED_ENVIRONMENTS = 50
/** One deployment at a time: one worker, one environment, so nothing waits for anything else. */
const ALONE_DEPLOYMENTS = 40
const AGENTS = [0, 1, 0, 1]
const CONCURRENCY = 4
const LEASE_SECONDS = 60

async function withCluster<T>(
  prepare: (db: TestDatabase) => Promise<void>,
  body: (c: Cluster, db: TestDatabase) => Promise<T>,
): Promise<T> {
  const db = await createTestDatabase()
  try {
    await prepare(db)
    const cluster = await startCluster({
      database: db.url,
      replicas: 2,
      leaseSeconds: LEASE_SECONDS,
    })
    try {
      return await body(cluster, db)
    } finally {
      await cluster.stop()
    }
  } finally {
    await db.drop()
  }
}

const burst = (deployments: number, environments: number): BurstOptions => ({
  deployments,
  environments,
  agents: AGENTS,
  concurrency: CONCURRENCY,
  agentEnv: { KEYLESS_LOG_LEVEL: 'info' },
})

interface Cpu {
  readonly name: string
  readonly cpu: CpuTimes
}

interface Measured {
  readonly n: number
  readonly seconds: number
  readonly lines: ReturnType<typeof timelines>
  readonly workers: WorkerTime
  readonly cpu: readonly Cpu[]
  readonly pg: { seconds: number; backends: number }
  readonly routes: RouteTimes
  /** The same phases with one deployment at a time. */
  readonly alone: ReturnType<typeof timelines>
}

/** The measured burst: baselines once every agent polls, totals once every deployment ended. */
async function measured(cluster: Cluster, db: TestDatabase): Promise<Measured> {
  const pids = (agents: readonly AgentProc[]): Array<[string, number | undefined]> => [
    ...cluster.replicas.map((r, i): [string, number | undefined] => [
      `server replica ${i}`,
      r.proc.child.pid,
    ]),
    ...agents.map((a, i): [string, number | undefined] => [
      `agent ${i} (replica ${AGENTS[i]})`,
      a.proc.child.pid,
    ]),
  ]
  let before: { cpu: Array<CpuTimes | undefined>; routes: RouteTimes[]; driver: NodeJS.CpuUsage }
  let pg: Awaited<ReturnType<typeof sampleBackends>> | undefined
  const result = await runBurst(cluster, {
    ...burst(DEPLOYMENTS, ENVIRONMENTS),
    onStart: async (agents) => {
      before = {
        cpu: pids(agents).map(([, pid]) => cpuOf(pid)),
        routes: await Promise.all(cluster.replicas.map((r) => scrapeRoutes(r.url))),
        driver: process.cpuUsage(),
      }
      pg = await sampleBackends(db.role)
    },
  })
  const driver = process.cpuUsage(before!.driver)
  const cpuAfter = pids(result.agents).map(([name, pid]) => ({ name, cpu: cpuOf(pid) }))
  const pgCpu = await pg!.stop()
  const routes = routesSince(
    before!.routes,
    await Promise.all(cluster.replicas.map((r) => scrapeRoutes(r.url))),
  )
  await Promise.all(result.agents.map((a) => a.kill('SIGTERM')))
  const lines = timelines(
    result.deployments,
    finishedLines(result.agents.map((a) => a.proc.output())),
  )
  const alone = await runBurst(cluster, {
    ...burst(ALONE_DEPLOYMENTS, 1),
    agents: [1],
    concurrency: 1,
  })
  await Promise.all(alone.agents.map((a) => a.kill('SIGTERM')))
  const created = Math.min(...lines.map((t) => t.created))
  const ended = Math.max(...lines.map((t) => t.succeeded))
  return {
    n: result.deployments.length,
    seconds: (ended - created) / 1000,
    lines,
    workers: workerTime(lines),
    cpu: [
      ...cpuAfter.map(({ name, cpu }, i) => ({ name, cpu: cpuSince(before!.cpu[i], cpu) })),
      {
        name: 'bench driver (creates, lists; this process)',
        cpu: { self: (driver.user + driver.system) / 1e6, children: 0 },
      },
    ],
    pg: pgCpu,
    routes,
    alone: timelines(alone.deployments, finishedLines(alone.agents.map((a) => a.proc.output()))),
  }
}

/** The statement-log burst: the role's statements while the burst ran, per deployment. */
async function statements(): Promise<{ n: number; top: StatementTotals[] } | undefined> {
  let log: Awaited<ReturnType<typeof logStatements>>
  return withCluster(
    async (db) => {
      log = await logStatements(db.role)
    },
    async (cluster) => {
      if (log === undefined) return undefined
      const result = await runBurst(cluster, {
        ...burst(LOGGED_DEPLOYMENTS, LOGGED_ENVIRONMENTS),
        onStart: () => log?.mark(),
      })
      const top = log.read()
      await Promise.all(result.agents.map((a) => a.kill('SIGTERM')))
      return { n: result.deployments.length, top }
    },
  )
}

/** What this bench measured before the changes it led to (written by hand, from its first run). */
const BEFORE =
  'Before the changes this profile led to (run of 2026-12-03 06:31 UTC, load 2.6 → 6.3): 31.4 deployments/s, a worker busy 420 ms (p50) per deployment, 9.0 requests per deployment (4 status reports, 2 log batches, claim, mint, create), 81.0 statements and 11.5 commits, plus the autocommit of an `update "deployments" set "run_phase"` before each mint, 45.7 ms of CPU (servers 17.6, agents 14.8, PostgreSQL 10.7). Since: the agent prepares the run (workspace, token) while its second `running` report is on its way (src/agent/start-gate.ts), a step\'s "step i/n" line travels in the batch before its report (one log batch less), and the run phase is stored in the mint\'s own transaction (one commit less). Under this machine\'s load the wall-clock gain is within the noise (interleaved runs, load 6–10: 18.6–23.6 against 18.6–29.8 deployments/s); requests, statements and commits per deployment are not noisy.'

const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 1 : 0)} ms` : '–')
const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(0)}%`

function table(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return [
    `| ${columns.join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')
}

function cpuTable(m: Measured): string {
  const per = (s: number): string => `${((1000 * s) / m.n).toFixed(1)} ms`
  const rows = m.cpu.map(({ name, cpu }) => [
    name,
    per(cpu.self),
    cpu.children > 0 ? per(cpu.children) : '',
  ])
  rows.push([`PostgreSQL backends of the database (${m.pg.backends})`, per(m.pg.seconds), ''])
  const total = m.cpu.reduce((sum, c) => sum + c.cpu.self + c.cpu.children, 0) + m.pg.seconds
  rows.push([
    '**all of the above**',
    `**${per(total)}**`,
    `${(total / m.seconds).toFixed(2)} cores busy on average`,
  ])
  return table(['process', 'CPU per deployment', 'its step processes (reaped children)'], rows)
}

function routeTable(m: Measured): string {
  const rows = [...m.routes]
    .sort(([, a], [, b]) => b.count - a.count)
    .map(([route, t]) => [
      `\`${route}\``,
      (t.count / m.n).toFixed(2),
      ms((1000 * t.seconds) / t.count),
      ms((1000 * t.seconds) / m.n),
    ])
  return table(['route', 'requests per deployment', 'mean time', 'time per deployment'], rows)
}

function statementTable(s: { n: number; top: StatementTotals[] }): string {
  const all = s.top.reduce((sum, t) => sum + t.ms, 0)
  const calls = s.top.reduce((sum, t) => sum + t.calls, 0)
  const rows = s.top
    .slice(0, 12)
    .map((t) => [
      `\`${t.text.length > 160 ? `${t.text.slice(0, 160)}…` : t.text}\``,
      (t.calls / s.n).toFixed(2),
      ms(t.ms / s.n),
      pct(t.ms, all),
    ])
  rows.push(['**every statement**', (calls / s.n).toFixed(1), ms(all / s.n), '100%'])
  return table(['statement', 'calls per deployment', 'time per deployment', 'share'], rows)
}

/** The conclusion: busy time in the burst against alone, and the CPU ceiling. */
function summary(m: Measured): string {
  const busy = quantile(
    m.lines.map((t) => t.free - t.claimed),
    0.5,
  )
  const alone = quantile(
    m.alone.map((t) => t.free - t.claimed),
    0.5,
  )
  const cpu =
    (1000 * (m.cpu.reduce((s, c) => s + c.cpu.self + c.cpu.children, 0) + m.pg.seconds)) / m.n
  return (
    `**Where the time goes**: a worker is busy ${ms(busy)} with a deployment in the burst (p50) and ${ms(alone)} alone: the step itself takes a few ms, the rest is the run's requests (two reports, the token, the final report), and in the burst mostly their wait for a CPU. ` +
    `Every deployment costs ${cpu.toFixed(1)} ms of CPU over all processes (table below), so two cores of its own would cap this setup near ${(2000 / cpu).toFixed(0)} deployments/s; no single request or statement dominates, \`commit\` (one per report) is PostgreSQL's largest share.`
  )
}

function workerNote(w: WorkerTime): string {
  const whole = w.busyMs + w.betweenMs
  return (
    `The ${w.workers} workers (4 agents × ${CONCURRENCY}) spent ${pct(w.busyMs, whole)} of their time from claim to done with a deployment and ${pct(w.betweenMs, whole)} between one and the next (the claim request: a sweep of expired leases, the claim transaction, and any wait in the long poll); ` +
    `${pct(w.betweenWithWorkMs, whole)} of their time was between deployments while some deployment could have been claimed. ` +
    `Gap between a worker's deployments: p50 ${ms(quantile(w.gaps, 0.5))}, p99 ${ms(quantile(w.gaps, 0.99))}.`
  )
}

export async function run(): Promise<BenchSection> {
  if (!postgresAvailable) throw new Error('bench/replicas-profile needs PostgreSQL')
  const m = await withCluster(() => Promise.resolve(), measured)
  const logged = await statements()
  const mean = (values: readonly number[]): number =>
    values.reduce((a, b) => a + b, 0) / values.length
  const meanBusy = mean(m.lines.map((t) => t.free - t.claimed))
  const rows = PHASES.map(([name, of]) => {
    const values = m.lines.map(of)
    const alone = m.alone.map(of)
    const queue = name.startsWith('created') || name.startsWith('eligible')
    return [
      name,
      ms(quantile(values, 0.5)),
      ms(quantile(values, 0.99)),
      ms(mean(values)),
      queue ? '' : pct(mean(values), meanBusy),
      queue ? '' : ms(quantile(alone, 0.5)),
      queue ? '' : ms(quantile(alone, 0.99)),
    ]
  })
  return {
    title: "Replicas on PostgreSQL: where a no-op deployment's time goes (2 replicas, 4 agents)",
    notes: [
      `The two-replica burst of the section above (${DEPLOYMENTS} deployments of a one-step \`custom\` template over ${ENVIRONMENTS} environments, four agents with concurrency ${CONCURRENCY} on replicas ${AGENTS.join(',')}, every part a real process on one PostgreSQL database): ${(m.n / m.seconds).toFixed(1)} deployments/s this run (${m.seconds.toFixed(1)} s). Phases come from the deployment's own timestamps (\`createdAt\`, \`claimedAt\`, \`startedAt\`, \`finishedAt\`, on the replicas' clocks) and from the agent's \`finished\` log line (the runner's timings: workspace, token mint, the step's process start and end, and when the agent was done with it); all processes share this host's clock. "Eligible" is the later of \`createdAt\` and the end of the environment's previous deployment (one at a time per environment). Share is of a worker's busy time (claimed → agent free). "Alone": ${ALONE_DEPLOYMENTS} deployments of one environment run one at a time by one agent (concurrency 1, replica 1) on the same cluster right after the burst — the same work without the burst's contention for the two cores.`,
      summary(m),
      "The machine (2 cores) is shared with other work (other engineers' tests and builds): times are upper bounds, CPU per deployment much less so.",
      workerNote(m.workers),
      `CPU seconds per deployment by process, from /proc/<pid>/stat (user + system) between the first create and the last deployment seen final; the PostgreSQL backends of the bench's database sampled every 250 ms through pg_stat_activity (PostgreSQL's own background processes, shared with other databases, are not counted). The servers' share includes the driver's creates and its final list.`,
      cpuTable(m),
      `Requests the replicas served during the burst, per deployment (\`keyless_http_request_duration_seconds\` from each replica's \`/metrics\`, summed; time is the server's, from request to answer):`,
      routeTable(m),
      logged === undefined
        ? 'Statements: the PostgreSQL server log is not readable here (set KEYLESS_BENCH_PG_LOG), so they were not counted.'
        : `Statements, from a second two-replica burst of ${logged.n} deployments over ${LOGGED_ENVIRONMENTS} environments with \`log_min_duration_statement = 0\` set for the bench's role only (pg_stat_statements needs \`shared_preload_libraries\`, a server restart); time is PostgreSQL's parse + bind + execute (the log adds to it), the top 12 by total time:`,
      ...(logged === undefined ? [] : [statementTable(logged)]),
      BEFORE,
    ],
    columns: [
      'phase',
      'burst p50',
      'burst p99',
      'burst mean',
      'share of a worker busy',
      'alone p50',
      'alone p99',
    ],
    rows,
    targets: [
      {
        target: 'reported: every deployment of the measured burst succeeded',
        measured: `${m.lines.length} of ${DEPLOYMENTS} with agent timings`,
        met: m.lines.length === DEPLOYMENTS,
      },
    ],
  }
}
