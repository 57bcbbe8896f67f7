import { describe, expect, it } from 'vitest'
import { KeylessError } from '../shared/errors.js'
import { Replicas, isReplicaGone, loggableUrl } from './replicas.js'

const A = 'http://a.internal:8080'
const B = 'http://b.internal:8080'
const C = 'http://c.internal:8080'

const unreachable = new KeylessError('upstream_unreachable', 'cannot reach the keyless server')
const status = (code: ConstructorParameters<typeof KeylessError>[0], httpStatus: number) =>
  new KeylessError(code, `HTTP ${httpStatus}`, { httpStatus })

describe('isReplicaGone', () => {
  const cases: ReadonlyArray<[string, unknown, boolean]> = [
    ['no answer', unreachable, true],
    ['503 draining', status('upstream_unreachable', 503), true],
    ['503 database_unavailable', status('database_unavailable', 503), true],
    ['502 from a proxy', status('upstream_unreachable', 502), false],
    ['409 lease_lost', status('lease_lost', 409), false],
    ['401 unauthorized', status('unauthorized', 401), false],
    ['500 internal_error', status('internal_error', 500), false],
    ['an abort', new DOMException('aborted', 'AbortError'), false],
  ]
  it.each(cases)('%s → %s', (_name, error, gone) => {
    expect(isReplicaGone(error)).toBe(gone)
  })
})

describe('Replicas', () => {
  it('moves round robin on a replica that is gone, and stays on other errors', () => {
    const r = new Replicas([A, B, C])
    expect(r.current).toBe(0)
    expect(r.failed(0, status('lease_lost', 409))).toBeUndefined()
    expect(r.current).toBe(0)
    expect(r.failed(0, unreachable)).toBe(1)
    expect(r.failed(1, status('database_unavailable', 503))).toBe(2)
    expect(r.failed(2, unreachable)).toBe(0)
    expect(r.current).toBe(0)
  })

  it('moves once when calls in flight together fail on the same replica', () => {
    const r = new Replicas([A, B])
    expect(r.failed(0, unreachable)).toBe(1)
    // A heartbeat sent to A before the move fails after it: the agent stays on B.
    expect(r.failed(0, unreachable)).toBeUndefined()
    expect(r.current).toBe(1)
  })

  it('stays on a single replica', () => {
    const r = new Replicas([A])
    expect(r.failed(0, unreachable)).toBeUndefined()
    expect(r.current).toBe(0)
  })

  it('needs a replica', () => {
    expect(() => new Replicas([])).toThrow(/at least one/)
  })
})

describe('loggableUrl', () => {
  const cases: ReadonlyArray<[string, string]> = [
    ['https://user:hunter2@keyless.example.com/?token=x#f', 'https://keyless.example.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['https://lb.example.com/keyless/', 'https://lb.example.com/keyless/'],
  ]
  it.each(cases)('%s → %s', (url, shown) => {
    expect(loggableUrl(url)).toBe(shown)
  })
})
