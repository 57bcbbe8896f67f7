import type { Json } from '../../test/e2e/support/stack.js'
import type { AgentFinished } from './agent-log.js'

/** One deployment's way through the system, in ms since the epoch (one host, one clock). */
export interface Timeline {
  readonly id: string
  readonly worker: string
  readonly created: number
  /** When it could be handed out: created, and the previous deployment of its environment finished. */
  readonly eligible: number
  readonly claimed: number
  /** The second `running` report (steps may start from here): the server's `startedAt`. */
  readonly started: number
  readonly workspaceMs: number
  readonly tokenMintMs: number
  readonly stepStarted: number
  readonly stepEnded: number
  readonly succeeded: number
  /** The agent done with it (its final report acknowledged, its work directory removed). */
  readonly free: number
}

const at = (v: unknown): number => Date.parse(String(v))

/** The deployments the agent logged, with their environment's order; others are left out. */
export function timelines(deployments: readonly Json[], agents: Map<string, AgentFinished>) {
  const byEnv = new Map<string, Json[]>()
  for (const d of deployments)
    byEnv.set(d.environmentId, [...(byEnv.get(d.environmentId) ?? []), d])
  const out: Timeline[] = []
  for (const list of byEnv.values()) {
    list.sort((a, b) => at(a.createdAt) - at(b.createdAt) || String(a.id).localeCompare(b.id))
    list.forEach((d, i) => {
      const a = agents.get(d.id)
      if (a?.firstStepStartedAt === undefined || a.lastStepEndedAt === undefined) return
      const before = list[i - 1]
      out.push({
        id: d.id,
        worker: String(d.agentName),
        created: at(d.createdAt),
        eligible: Math.max(at(d.createdAt), before === undefined ? 0 : at(before.finishedAt)),
        claimed: at(d.claimedAt),
        started: at(d.startedAt),
        workspaceMs: a.workspaceMs ?? 0,
        tokenMintMs: a.tokenMintMs ?? 0,
        stepStarted: a.firstStepStartedAt,
        stepEnded: a.lastStepEndedAt,
        succeeded: at(d.finishedAt),
        free: a.at,
      })
    })
  }
  return out
}

/** The phases the table shows, each as [name, ms of one deployment]. */
export const PHASES: ReadonlyArray<readonly [string, (t: Timeline) => number]> = [
  ['created → claimed (queue wait, behind the burst)', (t) => t.claimed - t.created],
  [
    'eligible → claimed (its environment free, waiting for a worker)',
    (t) => t.claimed - t.eligible,
  ],
  ['claimed → started (two `running` reports)', (t) => t.started - t.claimed],
  ['started → step process running', (t) => t.stepStarted - t.started],
  ["runner: the workspace (from the first report's answer)", (t) => t.workspaceMs],
  ['runner: minting the token (overlaps the second report)', (t) => t.tokenMintMs],
  ['step process running → ended', (t) => t.stepEnded - t.stepStarted],
  ['step ended → succeeded (final report)', (t) => t.succeeded - t.stepEnded],
  ['succeeded → agent free (answer, work dir removed)', (t) => t.free - t.succeeded],
  ['claimed → agent free (a worker busy)', (t) => t.free - t.claimed],
]

/** Merged [from, to) intervals. */
function union(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0])
  const out: Array<[number, number]> = []
  for (const [a, b] of sorted) {
    const last = out.at(-1)
    if (last !== undefined && a <= last[1]) last[1] = Math.max(last[1], b)
    else out.push([a, b])
  }
  return out
}

function overlap(gap: [number, number], set: ReadonlyArray<[number, number]>): number {
  let sum = 0
  for (const [a, b] of set) sum += Math.max(0, Math.min(b, gap[1]) - Math.max(a, gap[0]))
  return sum
}

/** How the workers spent the burst: running deployments, or between them (claiming or idle). */
export interface WorkerTime {
  readonly workers: number
  readonly busyMs: number
  /** Between a worker's deployments: its claim request (sweep, claim) and any wait in it. */
  readonly betweenMs: number
  /** The part of `betweenMs` during which some deployment was eligible and not yet claimed. */
  readonly betweenWithWorkMs: number
  /** The gaps between one deployment and the next of a worker, ms. */
  readonly gaps: readonly number[]
}

export function workerTime(lines: readonly Timeline[]): WorkerTime {
  const byWorker = new Map<string, Timeline[]>()
  for (const t of lines) byWorker.set(t.worker, [...(byWorker.get(t.worker) ?? []), t])
  const waiting = union(lines.map((t) => [t.eligible, t.claimed]))
  let busyMs = 0
  let betweenMs = 0
  let betweenWithWorkMs = 0
  const gaps: number[] = []
  for (const list of byWorker.values()) {
    list.sort((a, b) => a.claimed - b.claimed)
    list.forEach((t, i) => {
      busyMs += t.free - t.claimed
      const next = list[i + 1]
      if (next === undefined) return
      const gap: [number, number] = [t.free, next.claimed]
      gaps.push(gap[1] - gap[0])
      betweenMs += Math.max(0, gap[1] - gap[0])
      betweenWithWorkMs += overlap(gap, waiting)
    })
  }
  return { workers: byWorker.size, busyMs, betweenMs, betweenWithWorkMs, gaps }
}
