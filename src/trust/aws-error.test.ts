import { describe, expect, it } from 'vitest'
import { awsError } from './aws.js'

const unreachable = Object.assign(new Error('getaddrinfo ENOTFOUND iam.amazonaws.com'), {
  code: 'ENOTFOUND',
})

const cases: ReadonlyArray<[string, { endpointUrl?: string }, string]> = [
  [
    'AWS itself: where the emulator is, for a local stack',
    {},
    'GetRole r: cannot reach AWS: getaddrinfo ENOTFOUND iam.amazonaws.com (the keyless emulator: --endpoint-url http://127.0.0.1:4566)',
  ],
  [
    'an endpoint given: no hint',
    { endpointUrl: 'http://127.0.0.1:1' },
    'GetRole r: cannot reach http://127.0.0.1:1: getaddrinfo ENOTFOUND iam.amazonaws.com',
  ],
]

describe('awsError: an unreachable IAM', () => {
  it.each(cases)('%s', (_name, options, message) => {
    const e = awsError(unreachable, 'GetRole r', options)
    expect(e.code).toBe('input_unreadable')
    expect(e.message).toBe(message)
  })
})
