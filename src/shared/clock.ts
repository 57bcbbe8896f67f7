/** The only source of "now" in keyless. Inject it; tests freeze or move it. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = {
  now: () => new Date(),
}

/** A clock that stands still until told to move. For tests and simulations. */
export class ManualClock implements Clock {
  #ms: number
  constructor(start: Date | number = Date.UTC(2026, 10, 25, 12, 0, 0)) {
    this.#ms = typeof start === 'number' ? start : start.getTime()
  }
  now(): Date {
    return new Date(this.#ms)
  }
  advance(ms: number): void {
    this.#ms += ms
  }
  set(at: Date | number): void {
    this.#ms = typeof at === 'number' ? at : at.getTime()
  }
}

/** Seconds since the epoch, as JWT `iat`/`exp` use. */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now().getTime() / 1000)
}
