import { describe, expect, it } from 'vitest'
import { DecisionLog } from './decisions.js'

function entry(n: number, roleArn = 'arn:aws:iam::123456789012:role/R') {
  return {
    time: new Date(n * 1000).toISOString(),
    action: 'AssumeRoleWithWebIdentity',
    requestId: String(n),
    roleArn,
    roleSessionName: 's1',
    decision: 'allowed' as const,
    errorCode: null,
    provider: undefined,
    token: undefined,
    explain: () => `entry ${n}`,
  }
}

describe('DecisionLog', () => {
  it('keeps the newest entries, newest first, and filters by role', () => {
    const log = new DecisionLog(3)
    for (let n = 1; n <= 5; n += 1) log.add(entry(n, n % 2 === 0 ? 'other' : undefined))
    expect(log.list().map((e) => e.requestId)).toEqual(['5', '4', '3'])
    expect(log.list()[0]?.explanation).toBe('entry 5')
    expect(log.list('other').map((e) => e.requestId)).toEqual(['4'])
  })

  it('lists a partly filled log', () => {
    const log = new DecisionLog(10)
    log.add(entry(1))
    log.add(entry(2))
    expect(log.list().map((e) => e.requestId)).toEqual(['2', '1'])
  })
})
