import { isKeylessError } from '../shared/errors.js'
import { ExchangeError } from './sts.js'

/**
 * Bounded retries of the runner's calls to the control plane (token mint) and to STS (exchange)
 * on transient failures: the connection refused or reset, 5xx, throttling. Failures are told
 * apart by their codes, never by their text. Anything else fails at once.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

/** About 15 s of retries in all: longer than a replica restart, shorter than a lease. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 200, maxDelayMs: 4000 }

const TRANSIENT_HTTP = new Set([429, 502, 503, 504])
const TRANSIENT_CONTROL_PLANE = new Set(['upstream_unreachable', 'database_unavailable'])
/** AWS's retryable STS codes; IDPCommunicationError is STS failing to reach the issuer. */
const TRANSIENT_AWS = new Set([
  'NetworkingError',
  'IDPCommunicationError',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalError',
])

function httpStatusOf(details: unknown): number | undefined {
  if (typeof details !== 'object' || details === null) return undefined
  const status = (details as { httpStatus?: unknown }).httpStatus
  return typeof status === 'number' ? status : undefined
}

/** A control-plane answer (or no answer) worth retrying. */
export function isTransientControlPlaneError(error: unknown): boolean {
  if (!isKeylessError(error)) return false
  if (TRANSIENT_CONTROL_PLANE.has(error.code)) return true
  const status = httpStatusOf(error.details)
  return status !== undefined && TRANSIENT_HTTP.has(status)
}

/** An STS failure worth retrying. */
export function isTransientExchangeError(error: unknown): boolean {
  if (!(error instanceof ExchangeError)) return false
  if (TRANSIENT_AWS.has(error.awsCode)) return true
  return (
    error.httpStatus !== undefined &&
    (error.httpStatus >= 500 || TRANSIENT_HTTP.has(error.httpStatus))
  )
}

/** Runs `call`, retrying transient failures with exponential backoff and jitter. */
export async function retryTransient<T>(
  call: () => Promise<T>,
  isTransient: (error: unknown) => boolean,
  policy: RetryPolicy = DEFAULT_RETRY,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      if (attempt >= policy.attempts || !isTransient(error)) throw error
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
      await sleep(ceiling / 2 + Math.random() * (ceiling / 2))
    }
  }
}
