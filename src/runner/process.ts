import { spawn } from 'node:child_process'
import type { Clock } from '../shared/clock.js'
import type { LogLine } from '../shared/contracts/agent-api.js'
import { StreamMasker, type SecretSet } from './mask.js'

/**
 * Runs one step as its own process group (so cancel reaches everything it started), with its
 * output masked line by line. Cancel = SIGTERM to the group, SIGKILL after the grace period.
 */
export interface ProcessOptions {
  readonly command: string
  readonly args: readonly string[]
  readonly cwd: string
  readonly env: Readonly<Record<string, string>>
  readonly secrets: SecretSet
  readonly log: (line: LogLine) => void
  readonly clock: Clock
  readonly signal?: AbortSignal
  readonly graceMs: number
  /** How often an unfinished line (a progress bar without newline) is shown. */
  readonly partialFlushMs?: number
}

export interface ProcessOutcome {
  readonly exitCode: number | null
  readonly signal: string | null
  readonly cancelled: boolean
  /** Set when the process could not be started at all. */
  readonly spawnError?: string
  /** Milliseconds from the spawn call to the process running. */
  readonly spawnMs: number
  /** When (epoch ms, runner clock) the process was running. */
  readonly startedAt: number
}

export function runProcess(options: ProcessOptions): Promise<ProcessOutcome> {
  const { clock } = options
  return new Promise<ProcessOutcome>((resolve) => {
    const t0 = performance.now()
    let startedAt = clock.now().getTime()
    let spawnMs = 0
    let cancelled = false
    let settled = false
    const timers: NodeJS.Timeout[] = []

    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })

    const maskers = {
      stdout: new StreamMasker(options.secrets),
      stderr: new StreamMasker(options.secrets),
    }
    const emit = (stream: 'stdout' | 'stderr', text: string): void => {
      options.log({ stream, text, time: clock.now().toISOString() })
    }
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].setEncoding('utf8')
      child[stream].on('data', (chunk: string) => {
        for (const line of maskers[stream].push(chunk)) emit(stream, line)
      })
    }
    const partial = setInterval(() => {
      for (const stream of ['stdout', 'stderr'] as const) {
        const text = maskers[stream].flushPartial()
        if (text !== null) emit(stream, text)
      }
    }, options.partialFlushMs ?? 1000)
    timers.push(partial)

    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return
      try {
        process.kill(-child.pid, sig)
      } catch {
        // The group is gone already.
      }
    }

    const onAbort = (): void => {
      if (settled || cancelled) return
      cancelled = true
      killGroup('SIGTERM')
      timers.push(setTimeout(() => killGroup('SIGKILL'), options.graceMs))
    }
    if (options.signal?.aborted === true) onAbort()
    options.signal?.addEventListener('abort', onAbort, { once: true })

    const finish = (outcome: Omit<ProcessOutcome, 'cancelled' | 'spawnMs' | 'startedAt'>): void => {
      if (settled) return
      settled = true
      for (const t of timers) clearTimeout(t)
      clearInterval(partial)
      options.signal?.removeEventListener('abort', onAbort)
      for (const stream of ['stdout', 'stderr'] as const) {
        const rest = maskers[stream].end()
        if (rest !== null) emit(stream, rest)
      }
      resolve({ ...outcome, cancelled, spawnMs, startedAt })
    }

    child.once('spawn', () => {
      spawnMs = performance.now() - t0
      startedAt = clock.now().getTime()
    })
    child.once('error', (error) => {
      finish({ exitCode: null, signal: null, spawnError: error.message })
    })
    let exited: { code: number | null; signal: string | null } | undefined
    child.once('exit', (code, signal) => {
      exited = { code, signal }
      // Background children may hold the pipes open: give them a moment, then end the group.
      timers.push(
        setTimeout(() => {
          killGroup('SIGKILL')
        }, 2000),
      )
    })
    child.once('close', (code, signal) => {
      finish({ exitCode: exited?.code ?? code, signal: exited?.signal ?? signal })
    })
  })
}
