import type { LogLine, StatusRequest } from '../shared/contracts/agent-api.js'
import { isKeylessError } from '../shared/errors.js'
import { isTransientControlPlaneError } from '../runner/retry.js'

/** One report of a deployment to the control plane, in the order the agent made them. */
export type Report =
  /** `firstSeq` moves down only when an earlier batch was refused (so that no gap is left). */
  | { readonly kind: 'logs'; firstSeq: number; readonly lines: readonly LogLine[] }
  | { readonly kind: 'status'; readonly body: StatusRequest }

interface Waiter {
  readonly upTo: Report
  readonly resolve: (ok: boolean) => void
}

export interface OutboxOptions {
  readonly send: (report: Report) => Promise<void>
  /** Called once when the control plane says the agent no longer holds the deployment. */
  readonly onLeaseLost: (error: unknown) => void
  /** A report the control plane refused for good (not retried; the next one goes on). */
  readonly onRefused: (report: Report, error: unknown) => void
  /** Log lines are batched for this long (or until `maxBatch` wait). */
  readonly intervalMs?: number
  readonly maxBatch?: number
  readonly retryBaseMs?: number
  readonly retryMaxMs?: number
  readonly sleep?: (ms: number) => Promise<void>
}

/** A report is re-sent after an error only when the control plane may not have it yet. */
function isLeaseLost(error: unknown): boolean {
  return isKeylessError(error) && (error.code === 'lease_lost' || error.code === 'not_found')
}

/**
 * The durable outbox of one deployment (docs/operations.md, "Agents and outages"): every log batch
 * and status report is kept, in order, until the control plane acknowledged it, and re-sent after
 * a transient failure (connection refused, 5xx) for as long as the lease holds, so that an outage
 * of the control plane shorter than the lease loses nothing. Re-sending is safe: each log batch
 * names the sequence number of its first line (`firstSeq`) and the control plane stores a line it
 * already has only once; status reports are idempotent. Nothing is sent twice once acknowledged.
 */
export class Outbox {
  readonly #o: OutboxOptions
  readonly #queue: Report[] = []
  #buffer: LogLine[] = []
  #nextSeq = 1
  #timer: NodeJS.Timeout | undefined
  #pumping = false
  #waiters: Waiter[] = []
  #closed = false

  constructor(options: OutboxOptions) {
    this.#o = options
  }

  /** False once the lease was lost or `close()` was called: nothing more is sent. */
  get open(): boolean {
    return !this.#closed
  }

  log(line: LogLine): void {
    if (this.#closed) return
    this.#buffer.push(line)
    if (this.#buffer.length >= (this.#o.maxBatch ?? 500)) this.flush()
    else this.#timer ??= setTimeout(() => this.flush(), this.#o.intervalMs ?? 200)
  }

  /** Queues a status report after every line logged so far; resolves true once acknowledged. */
  status(body: StatusRequest): Promise<boolean> {
    this.flush()
    return this.#enqueue({ kind: 'status', body })
  }

  /** Queues the waiting log lines. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    const lines = this.#buffer
    this.#buffer = []
    for (let i = 0; i < lines.length; i += 1000) {
      const batch = lines.slice(i, i + 1000)
      void this.#enqueue({ kind: 'logs', firstSeq: this.#nextSeq, lines: batch })
      this.#nextSeq += batch.length
    }
  }

  /** Resolves true when everything queued so far was acknowledged, false when the lease is lost. */
  async drain(): Promise<boolean> {
    this.flush()
    const last = this.#queue.at(-1)
    if (last === undefined) return !this.#closed
    return new Promise((resolve) => this.#waiters.push({ upTo: last, resolve }))
  }

  /** Stops sending (the lease is lost); pending reports are dropped. */
  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#closed = true
    this.#queue.length = 0
    for (const w of this.#waiters) w.resolve(false)
    this.#waiters = []
  }

  #enqueue(report: Report): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false)
    this.#queue.push(report)
    const done = new Promise<boolean>((resolve) => this.#waiters.push({ upTo: report, resolve }))
    if (!this.#pumping) {
      this.#pumping = true
      void this.#run()
    }
    return done
  }

  /** Sends the queue's head until the queue is empty; only one runs at a time (`#pumping`). */
  async #run(): Promise<void> {
    for (;;) {
      const head = this.#queue[0]
      if (head === undefined || this.#closed) break
      const ok = await this.#deliver(head)
      if (this.#closed) break
      this.#queue.shift()
      if (!ok && head.kind === 'logs') this.#renumberAfter(head.lines.length)
      this.#settle(head, ok)
    }
    this.#pumping = false
  }

  /** Sends one report until it is acknowledged or refused; false when refused. */
  async #deliver(report: Report): Promise<boolean> {
    const sleep = this.#o.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)))
    let delay = this.#o.retryBaseMs ?? 200
    while (!this.#closed) {
      try {
        await this.#o.send(report)
        return true
      } catch (error) {
        if (isLeaseLost(error)) {
          this.close()
          this.#o.onLeaseLost(error)
          return false
        }
        if (!isTransientControlPlaneError(error)) {
          this.#o.onRefused(report, error)
          return false
        }
        await sleep(delay)
        delay = Math.min(delay * 2, this.#o.retryMaxMs ?? 2000)
      }
    }
    return false
  }

  /** A refused batch is not stored: the lines after it take its sequence numbers. */
  #renumberAfter(count: number): void {
    for (const r of this.#queue) if (r.kind === 'logs') r.firstSeq -= count
    this.#nextSeq -= count
  }

  /** Resolves the waiters of `report` (a waiter of a later report waits on). */
  #settle(report: Report, ok: boolean): void {
    const still: Waiter[] = []
    for (const w of this.#waiters) {
      if (w.upTo === report) w.resolve(ok)
      else still.push(w)
    }
    this.#waiters = still
  }
}
