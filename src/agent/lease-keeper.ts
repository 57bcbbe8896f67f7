import type { HeartbeatResponse } from '../shared/contracts/agent-api.js'
import { isKeylessError } from '../shared/errors.js'

export interface LeaseKeeperOptions {
  readonly heartbeat: () => Promise<HeartbeatResponse>
  /** How long a renewal holds, as the control plane grants it. */
  readonly leaseMs: number
  /** The lease is truly lost: the control plane said so, or no renewal came through in time. */
  readonly onLost: (reason: string) => void
  readonly onCancelRequested: () => void
  readonly onError: (error: unknown) => void
  /** Monotonic milliseconds (performance.now by default). */
  readonly now?: () => number
}

/**
 * Holds a deployment's lease with heartbeats, a third of the lease apart so that two can be
 * missed. A heartbeat that fails for a network reason or a 5xx is only logged and the next one
 * goes out on time: the lease is lost only when the control plane answers that the agent no
 * longer holds it (409/404), or when no renewal succeeded for a whole lease (the control plane
 * may have given the deployment up by then). Renewals are measured on the agent's own monotonic
 * clock from the moment each heartbeat was sent, so clock skew cannot stretch the lease.
 */
export class LeaseKeeper {
  readonly #o: LeaseKeeperOptions
  readonly #now: () => number
  #timer: NodeJS.Timeout | undefined
  #renewedAt: number
  #sentAt = -Infinity
  #inFlight = false
  #stopped = false
  #lost = false
  #cancelled = false

  constructor(options: LeaseKeeperOptions) {
    this.#o = options
    this.#now = options.now ?? (() => performance.now())
    this.#renewedAt = this.#now()
  }

  get lost(): boolean {
    return this.#lost
  }

  get #everyMs(): number {
    return Math.max(100, Math.min(10_000, Math.floor(this.#o.leaseMs / 3)))
  }

  /** Checks often (a lost lease is noticed within 250 ms); heartbeats every third of it. */
  start(): void {
    this.#sentAt = this.#now()
    this.#timer = setInterval(() => this.#tick(), Math.min(250, this.#everyMs))
  }

  /** No more heartbeats; an answer still on its way is ignored. */
  stop(): void {
    this.#stopped = true
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
  }

  /** A report the control plane accepted renewed the lease too (sent at `sentAt`). */
  renewed(sentAt: number): void {
    this.#renewedAt = Math.max(this.#renewedAt, sentAt)
  }

  #tick(): void {
    if (this.#lost || this.#stopped) return
    const now = this.#now()
    if (now - this.#renewedAt > this.#o.leaseMs) {
      this.#lose('no heartbeat reached the control plane for a whole lease')
      return
    }
    if (this.#inFlight || now - this.#sentAt < this.#everyMs) return
    this.#inFlight = true
    this.#sentAt = now
    const sentAt = now
    this.#o.heartbeat().then(
      (hb) => {
        this.#inFlight = false
        if (this.#stopped) return
        this.renewed(sentAt)
        if (hb.cancelRequested && !this.#cancelled) {
          this.#cancelled = true
          this.#o.onCancelRequested()
        }
      },
      (error: unknown) => {
        this.#inFlight = false
        if (this.#stopped) return
        if (isKeylessError(error) && (error.status === 409 || error.status === 404))
          this.#lose(error.message)
        else this.#o.onError(error)
      },
    )
  }

  #lose(reason: string): void {
    if (this.#lost || this.#stopped) return
    this.#lost = true
    this.stop()
    this.#o.onLost(reason)
  }
}
