/**
 * Holds back what a run reports until the control plane acknowledged that its steps may start
 * (the second `running` report, docs/deployments.md), so that the runner can prepare while that
 * report is on its way and every report still reaches the outbox in the order it was made: the
 * held ones in order once the answer is yes, none when it is no (a deployment put back in the
 * queue then has nothing of this run in its log).
 */
export class StartGate {
  /** True once steps may start; false when they may not. */
  readonly opened: Promise<boolean>
  #held: Array<() => void> | undefined = []
  #open = false

  constructor(acknowledged: Promise<boolean>) {
    this.opened = acknowledged.then((ok) => {
      const held = this.#held ?? []
      this.#held = undefined
      this.#open = ok
      if (ok) for (const action of held) action()
      return ok
    })
  }

  /** Runs `action` now when open, once open when still waiting, never when refused. */
  run(action: () => void): void {
    if (this.#held !== undefined) this.#held.push(action)
    else if (this.#open) action()
  }
}
