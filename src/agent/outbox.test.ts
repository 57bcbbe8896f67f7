import { describe, expect, it } from 'vitest'
import { KeylessError } from '../shared/errors.js'
import { Outbox, type Report } from './outbox.js'

const down = (): KeylessError => new KeylessError('upstream_unreachable', 'ECONNREFUSED')
const line = (text: string) => ({ stream: 'stdout' as const, text })

/** An outbox whose sends fail as `answers` says (one answer per attempt, then success). */
function outboxWith(answers: Array<KeylessError | undefined>) {
  const sent: Report[] = []
  const attempts: Report[] = []
  const lost: unknown[] = []
  const refused: Report[] = []
  const outbox = new Outbox({
    send: (r) => {
      attempts.push(structuredClone(r))
      const answer = answers.shift()
      if (answer !== undefined) return Promise.reject(answer)
      sent.push(structuredClone(r))
      return Promise.resolve()
    },
    onLeaseLost: (e) => lost.push(e),
    onRefused: (r) => refused.push(r),
    sleep: () => Promise.resolve(),
    intervalMs: 1,
  })
  return { outbox, sent, attempts, lost, refused }
}

describe('Outbox', () => {
  it('re-sends after transient failures, in order, and numbers log batches', async () => {
    const t = outboxWith([down(), down(), undefined, down()])
    t.outbox.log(line('a'))
    t.outbox.log(line('b'))
    void t.outbox.status({ status: 'running', step: { index: 0, name: 's', status: 'running' } })
    t.outbox.log(line('c'))
    expect(await t.outbox.status({ status: 'succeeded' })).toBe(true)
    expect(
      t.sent.map((r) => (r.kind === 'logs' ? [r.firstSeq, r.lines.length] : r.body.status)),
    ).toEqual([[1, 2], 'running', [3, 1], 'succeeded'])
    expect(t.attempts).toHaveLength(7)
  })

  it('stops for good when the lease is lost', async () => {
    const t = outboxWith([new KeylessError('lease_lost', 'gone')])
    expect(await t.outbox.status({ status: 'running' })).toBe(false)
    expect(await t.outbox.status({ status: 'succeeded' })).toBe(false)
    expect([t.outbox.open, t.lost.length, t.sent.length]).toEqual([false, 1, 0])
  })

  it('leaves no gap in the numbering when a batch is refused', async () => {
    const t = outboxWith([new KeylessError('bad_request', 'no')])
    t.outbox.log(line('a'))
    t.outbox.flush()
    t.outbox.log(line('b'))
    expect(await t.outbox.drain()).toBe(true)
    expect(t.refused).toHaveLength(1)
    expect(t.sent).toEqual([{ kind: 'logs', firstSeq: 1, lines: [line('b')] }])
  })
})
