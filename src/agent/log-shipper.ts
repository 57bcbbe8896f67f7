import type { LogLine } from '../shared/contracts/agent-api.js'

/**
 * Ships a deployment's log lines to the control plane in batches (every `intervalMs`, or at
 * once when `maxBatch` lines are waiting), in order, and lets other ordered calls (step status)
 * run in the same queue, after the lines logged before them.
 */
export class LogShipper {
  readonly #send: (lines: LogLine[]) => Promise<void>
  readonly #onError: (error: unknown) => void
  readonly #maxBatch: number
  #buffer: LogLine[] = []
  #chain: Promise<void> = Promise.resolve()
  #timer: NodeJS.Timeout | undefined
  readonly #intervalMs: number

  constructor(options: {
    send: (lines: LogLine[]) => Promise<void>
    onError: (error: unknown) => void
    intervalMs?: number
    maxBatch?: number
  }) {
    this.#send = options.send
    this.#onError = options.onError
    this.#intervalMs = options.intervalMs ?? 200
    this.#maxBatch = options.maxBatch ?? 500
  }

  push(line: LogLine): void {
    this.#buffer.push(line)
    if (this.#buffer.length >= this.#maxBatch) this.flush()
    else this.#timer ??= setTimeout(() => this.flush(), this.#intervalMs)
  }

  /** Queues the waiting lines for sending. */
  flush(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
    if (this.#buffer.length === 0) return
    const lines = this.#buffer
    this.#buffer = []
    for (let i = 0; i < lines.length; i += 1000) {
      const batch = lines.slice(i, i + 1000)
      this.#enqueue(() => this.#send(batch))
    }
  }

  /** Runs `task` after every line pushed so far was sent. */
  then(task: () => Promise<void>): void {
    this.flush()
    this.#enqueue(task)
  }

  /** Sends everything and waits for the queue to drain. */
  async drain(): Promise<void> {
    this.flush()
    await this.#chain
  }

  #enqueue(task: () => Promise<void>): void {
    this.#chain = this.#chain.then(task).catch((error: unknown) => this.#onError(error))
  }
}
