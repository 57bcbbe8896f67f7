import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { asAdmin } from '../../test/prod/support/database.js'

/**
 * Every statement of one role, from the PostgreSQL server's own log: the role gets
 * `log_min_duration_statement = 0` (its sessions only; no restart, unlike pg_stat_statements,
 * which needs `shared_preload_libraries`) and `log_parameter_max_length = 0` (no parameter
 * values in the log). The log is the Debian cluster's stderr file (or KEYLESS_BENCH_PG_LOG);
 * lines are told apart by the role in `log_line_prefix` (`%u@%d`).
 */
export interface StatementTotals {
  readonly text: string
  /** Executions (a simple-protocol statement, or the execute of an extended one). */
  readonly calls: number
  /** Parse + bind + execute, in ms. */
  readonly ms: number
}

export interface StatementLog {
  /** From now on: what `read` counts. */
  mark(): void
  /** Everything the role ran since `mark`, by statement text, the most time first. */
  read(): StatementTotals[]
}

async function logPath(): Promise<string> {
  const configured = process.env['KEYLESS_BENCH_PG_LOG']
  if (configured !== undefined) return configured
  const cluster = await asAdmin(async (c) => (await c.query('SHOW cluster_name')).rows[0])
  const name = String((cluster as { cluster_name?: string }).cluster_name ?? '15/main')
  return `/var/log/postgresql/postgresql-${name.replace('/', '-')}.log`
}

function readFrom(path: string, offset: number): string {
  const size = statSync(path).size
  const buffer = Buffer.alloc(Math.max(0, size - offset))
  const fd = openSync(path, 'r')
  try {
    readSync(fd, buffer, 0, buffer.length, offset)
  } finally {
    closeSync(fd)
  }
  return buffer.toString('utf8')
}

const DURATION = /LOG: {2}duration: ([\d.]+) ms {2}(?:(parse|bind|execute) [^:]*|statement): (.*)$/u

/** Sums the role's lines of the log text by statement. */
export function totals(text: string, role: string): StatementTotals[] {
  const by = new Map<string, { calls: number; ms: number }>()
  for (const line of text.split('\n')) {
    if (!line.includes(` ${role}@`)) continue
    const m = DURATION.exec(line)
    if (m === null) continue
    const entry = by.get(m[3]!) ?? { calls: 0, ms: 0 }
    entry.ms += Number(m[1])
    if (m[2] === undefined || m[2] === 'execute') entry.calls += 1
    by.set(m[3]!, entry)
  }
  return [...by].map(([statement, t]) => ({ text: statement, ...t })).sort((a, b) => b.ms - a.ms)
}

/** Turns the role's statement log on (for sessions opened from now on); undefined when the log cannot be read here. */
export async function logStatements(role: string): Promise<StatementLog | undefined> {
  const path = await logPath()
  let offset: number
  try {
    offset = statSync(path).size
    readFrom(path, offset)
  } catch {
    return undefined
  }
  await asAdmin(async (c) => {
    await c.query(`ALTER ROLE ${role} SET log_min_duration_statement = 0`)
    await c.query(`ALTER ROLE ${role} SET log_parameter_max_length = 0`)
  })
  return {
    mark: () => {
      offset = statSync(path).size
    },
    read: () => totals(readFrom(path, offset), role),
  }
}
