import { describe, expect, it } from 'vitest'
import {
  renderTraces,
  runChainSync,
  traceFunctions,
  traceLines,
  type ChainStep,
  type Verdict,
} from './chain.js'

type Step = ChainStep<{ readonly n: number }, string>

function step(name: string, verdict: (n: number) => Verdict<string>): Step {
  return { name, check: ({ n }) => verdict(n) }
}

const STEPS: readonly Step[] = [
  step('a', (n) => ({ status: 'pass', detail: 'a', trace: () => [`a saw ${n}`] })),
  step('b', () => ({ status: 'skipped', detail: 'offline' })),
  step('c', (n) => ({
    status: n > 1 ? 'fail' : 'pass',
    failure: 'too big',
    detail: 'c',
    trace: () => [`c saw ${n}`, 'c done'],
  })),
]

describe('traceFunctions', () => {
  const cases: ReadonlyArray<readonly [string, number, readonly string[]]> = [
    ['every step passes', 1, ['a saw 1', 'c saw 1', 'c done']],
    ['the last step fails', 2, ['a saw 2', 'c saw 2', 'c done']],
  ]
  for (const [name, n, expected] of cases)
    it(`${name}: the same lines as traceLines, in step order`, () => {
      const run = runChainSync(STEPS, { n }, 'online')
      const later = traceFunctions(run)
      expect(later).toHaveLength(2)
      expect(renderTraces(later)).toEqual(expected)
      expect(renderTraces(later)).toEqual(traceLines(run))
    })
})
