import { describe, expect, it } from 'vitest'
import { encodeQueueSignal, parseQueueSignal, queueChannel } from './queue-signal.js'

const signal = { organizationId: 'org_0mbx8k2a0001abcd', replicaId: 'rpl_3f9a0c' }

describe('queue signals', () => {
  it('round-trip through the payload', () => {
    expect(parseQueueSignal(encodeQueueSignal(signal))).toEqual(signal)
  })

  it.each([
    ['no payload', undefined],
    ['empty', ''],
    ['not JSON', 'org_1'],
    ['an array', '["org_1","rpl_1"]'],
    ['no replica', '{"o":"org_1"}'],
    ['an unknown key', '{"o":"org_1","r":"rpl_1","x":1}'],
    ['a number as id', '{"o":1,"r":"rpl_1"}'],
    ['an id with a quote', '{"o":"org_1\'--","r":"rpl_1"}'],
    ['an empty id', '{"o":"","r":"rpl_1"}'],
    ['an id over 64 characters', JSON.stringify({ o: 'o'.repeat(65), r: 'rpl_1' })],
    ['a payload over 512 characters', `{"o":"org_1","r":"rpl_1"${' '.repeat(600)}}`],
  ])('refuse %s', (_name, payload) => {
    expect(parseQueueSignal(payload)).toBeUndefined()
  })
})

describe('queue channels', () => {
  it.each([
    [undefined, 'keyless_queue'],
    ['kl_test_1', 'keyless_queue_kl_test_1'],
    ['s'.repeat(49), `keyless_queue_${'s'.repeat(49)}`],
  ])('schema %s listens on %s', (schema, channel) => {
    expect(queueChannel(schema)).toBe(channel)
  })

  it('stays within 63 characters and apart for long schemas', () => {
    const a = queueChannel('a'.repeat(63))
    const b = queueChannel(`${'a'.repeat(62)}b`)
    expect(a.length).toBeLessThanOrEqual(63)
    expect(a).toMatch(/^keyless_queue_[0-9a-f]{32}$/u)
    expect(a).not.toBe(b)
  })
})
