import { describe, expect, it } from 'vitest'
import { KeylessError } from '../shared/errors.js'
import { retryRead } from './read-retry.js'

/** What node-postgres raises when PostgreSQL terminates the backend under a query. */
const terminated = Object.assign(new Error('terminating connection due to administrator command'), {
  code: '57P01',
})
const ended = new Error('Connection terminated unexpectedly')
const wrongQuery = Object.assign(new Error('syntax error'), { code: '42601' })
const ours = new KeylessError('database_unavailable', 'the database is unavailable; retry')

/** failures before success; attempts and pauses seen; the outcome. */
const cases: ReadonlyArray<
  [string, readonly Error[], { attempts: number; pauses: number[]; result: string }]
> = [
  ['no failure', [], { attempts: 1, pauses: [], result: 'ok' }],
  ['one cut', [terminated], { attempts: 2, pauses: [50], result: 'ok' }],
  ['two cuts', [terminated, ended], { attempts: 3, pauses: [50, 250], result: 'ok' }],
  [
    'three cuts',
    [terminated, ended, terminated],
    { attempts: 3, pauses: [50, 250], result: 'throws 57P01' },
  ],
  ['a wrong query', [wrongQuery], { attempts: 1, pauses: [], result: 'throws 42601' }],
  ['a KeylessError', [ours], { attempts: 1, pauses: [], result: 'throws database_unavailable' }],
]

describe('retryRead', () => {
  it.each(cases)('%s', async (_name, failures, expected) => {
    let attempts = 0
    const pauses: number[] = []
    const read = (): Promise<string> => {
      const failure = failures[attempts]
      attempts++
      return failure === undefined ? Promise.resolve('ok') : Promise.reject(failure)
    }
    const result = await retryRead(read, {
      sleep: (ms) => {
        pauses.push(ms)
        return Promise.resolve()
      },
    }).catch((error: { code: string }) => `throws ${error.code}`)
    expect({ attempts, pauses, result }).toEqual(expected)
  })
})
