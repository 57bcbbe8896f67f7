/** What an agent's `finished` log line says of one deployment (src/cli/commands/agent.ts). */
export interface AgentFinished {
  /** When the agent was done with it: the final report acknowledged, the work directory removed. */
  readonly at: number
  readonly workspaceMs?: number
  readonly tokenMintMs?: number
  readonly processStartMs?: number
  readonly firstStepStartedAt?: number
  readonly lastStepEndedAt?: number
}

interface Line {
  readonly msg?: unknown
  readonly time?: unknown
  readonly deploymentId?: unknown
  readonly timings?: Record<string, unknown>
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)

function optional<K extends Exclude<keyof AgentFinished, 'at'>>(
  key: K,
  timings: Record<string, unknown>,
): Partial<Record<K, number>> {
  const v = num(timings[key])
  return v === undefined ? {} : ({ [key]: v } as Partial<Record<K, number>>)
}

/** The `finished` lines of agents' outputs (pino JSON, level info), by deployment id. */
export function finishedLines(outputs: readonly string[]): Map<string, AgentFinished> {
  const out = new Map<string, AgentFinished>()
  for (const text of outputs)
    for (const raw of text.split('\n')) {
      if (!raw.startsWith('{')) continue
      let line: Line
      try {
        line = JSON.parse(raw) as Line
      } catch {
        continue
      }
      if (line.msg !== 'finished' || typeof line.deploymentId !== 'string') continue
      const t = line.timings ?? {}
      const entry: AgentFinished = {
        at: num(line.time) ?? Number.NaN,
        ...optional('workspaceMs', t),
        ...optional('tokenMintMs', t),
        ...optional('processStartMs', t),
        ...optional('firstStepStartedAt', t),
        ...optional('lastStepEndedAt', t),
      }
      out.set(line.deploymentId, entry)
    }
  return out
}
