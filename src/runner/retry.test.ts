import { describe, expect, it } from 'vitest'
import { KeylessError } from '../shared/errors.js'
import {
  isTransientControlPlaneError,
  isTransientExchangeError,
  retryTransient,
  type RetryPolicy,
} from './retry.js'
import { ExchangeError } from './sts.js'

const controlPlane: ReadonlyArray<{ name: string; error: unknown; transient: boolean }> = [
  {
    name: 'connection refused',
    error: new KeylessError('upstream_unreachable', 'x (ECONNREFUSED)'),
    transient: true,
  },
  {
    name: 'database away (503)',
    error: new KeylessError('database_unavailable', 'x'),
    transient: true,
  },
  {
    name: 'a 502 from a proxy',
    error: new KeylessError('internal_error', 'HTTP 502', { httpStatus: 502 }),
    transient: true,
  },
  {
    name: 'throttled (429)',
    error: new KeylessError('internal_error', 'HTTP 429', { httpStatus: 429 }),
    transient: true,
  },
  {
    name: 'minting stopped',
    error: new KeylessError('minting_stopped', 'x', { httpStatus: 409 }),
    transient: false,
  },
  {
    name: 'lease lost',
    error: new KeylessError('lease_lost', 'x', { httpStatus: 409 }),
    transient: false,
  },
  { name: 'a plain Error', error: new Error('ECONNREFUSED'), transient: false },
]

const exchange: ReadonlyArray<{ name: string; error: unknown; transient: boolean }> = [
  { name: 'network', error: new ExchangeError('NetworkingError', 'x', undefined), transient: true },
  {
    name: 'throttling',
    error: new ExchangeError('Throttling', 'Rate exceeded', 400),
    transient: true,
  },
  {
    name: 'IdP unreachable',
    error: new ExchangeError('IDPCommunicationError', 'x', 400),
    transient: true,
  },
  { name: 'a 500', error: new ExchangeError('Unknown', 'x', 500), transient: true },
  { name: 'access denied', error: new ExchangeError('AccessDenied', 'x', 403), transient: false },
  {
    name: 'bad token',
    error: new ExchangeError('InvalidIdentityToken', 'x', 400),
    transient: false,
  },
  {
    name: 'expired token',
    error: new ExchangeError('ExpiredTokenException', 'x', 400),
    transient: false,
  },
]

describe('transient failures are told by their codes', () => {
  it.each(controlPlane)('control plane: $name → $transient', ({ error, transient }) =>
    expect(isTransientControlPlaneError(error)).toBe(transient),
  )
  it.each(exchange)('STS: $name → $transient', ({ error, transient }) =>
    expect(isTransientExchangeError(error)).toBe(transient),
  )
})

describe('retryTransient', () => {
  const policy: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 250 }
  const cases = [
    {
      name: 'succeeds after two transient failures',
      failures: 2,
      transient: true,
      calls: 3,
      ok: true,
    },
    { name: 'gives up after the last attempt', failures: 10, transient: true, calls: 4, ok: false },
    { name: 'does not retry a refusal', failures: 10, transient: false, calls: 1, ok: false },
  ]
  it.each(cases)('$name', async ({ failures, transient, calls, ok }) => {
    let n = 0
    const delays: number[] = []
    const outcome = retryTransient(
      () => {
        n += 1
        return n <= failures
          ? Promise.reject(new Error(transient ? 'again' : 'no'))
          : Promise.resolve('done')
      },
      (error) => error instanceof Error && error.message === 'again',
      policy,
      (ms) => {
        delays.push(ms)
        return Promise.resolve()
      },
    )
    if (ok) await expect(outcome).resolves.toBe('done')
    else await expect(outcome).rejects.toThrow()
    expect(n).toBe(calls)
    expect(delays.every((d) => d <= policy.maxDelayMs)).toBe(true)
  })
})
