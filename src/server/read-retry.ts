import { isKeylessError } from '../shared/errors.js'
import { isConnectionLoss } from '../store/connection-loss.js'

/**
 * Reads that lost their database connection in the middle (`pg_terminate_backend`, a failover,
 * a restart of PostgreSQL) run again on a new connection before the request answers `503
 * database_unavailable` (src/server/errors.ts): twice, after these pauses. Only reads: a write
 * whose connection went away may have committed, so it answers 503 and the client decides
 * (with an `Idempotency-Key` a repeat is safe, src/platform/idempotency.ts).
 */
export const READ_RETRY_DELAYS_MS: readonly number[] = [50, 250]

export interface ReadRetryOptions {
  readonly delaysMs?: readonly number[]
  /** Told before each retry (the request's log). */
  readonly onRetry?: (attempt: number, error: unknown) => void
  readonly sleep?: (ms: number) => Promise<void>
}

/** A lost connection, not an answer of ours (a KeylessError is never retried). */
export function isLostConnection(error: unknown): boolean {
  return !isKeylessError(error) && isConnectionLoss(error)
}

/** Runs `read`, again after each pause while it fails with a lost connection. */
export async function retryRead<T>(
  read: () => Promise<T>,
  options: ReadRetryOptions = {},
): Promise<T> {
  const delays = options.delaysMs ?? READ_RETRY_DELAYS_MS
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  for (let attempt = 0; ; attempt++) {
    try {
      return await read()
    } catch (error) {
      const delay = delays[attempt]
      if (delay === undefined || !isLostConnection(error)) throw error
      options.onRetry?.(attempt + 1, error)
      await sleep(delay)
    }
  }
}
