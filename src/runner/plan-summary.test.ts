import { describe, expect, it } from 'vitest'
import { actionOf, planLine, summarizePlanJson } from './plan-summary.js'

const ACTIONS: ReadonlyArray<[string[], string]> = [
  [['create'], 'create'],
  [['update'], 'update'],
  [['delete'], 'delete'],
  [['delete', 'create'], 'replace'],
  [['create', 'delete'], 'replace'],
  [['read'], 'read'],
  [['no-op'], 'no-op'],
  [['forget'], 'no-op'],
  [[], 'no-op'],
]

describe('plan actions', () => {
  it.each(ACTIONS)('%j → %s', (actions, action) => {
    expect(actionOf(actions)).toBe(action)
  })
})

describe('plan summary', () => {
  it('counts as Terraform’s Plan: line (a replacement adds and destroys), lists every resource', () => {
    const rc = (address: string, actions: string[], mode = 'managed') => ({
      address,
      mode,
      change: { actions },
    })
    const plan = summarizePlanJson({
      resource_changes: [
        rc('a.new', ['create']),
        rc('a.changed', ['update']),
        rc('a.gone', ['delete']),
        rc('a.swapped', ['delete', 'create']),
        rc('a.same', ['no-op']),
        rc('data.x.read', ['read'], 'data'),
      ],
    })
    expect(plan).toEqual({
      add: 2,
      change: 1,
      destroy: 2,
      replace: 1,
      resources: [
        { address: 'a.new', action: 'create' },
        { address: 'a.changed', action: 'update' },
        { address: 'a.gone', action: 'delete' },
        { address: 'a.swapped', action: 'replace' },
        { address: 'a.same', action: 'no-op' },
        { address: 'data.x.read', action: 'read' },
      ],
    })
    expect(planLine(plan)).toBe('plan: 2 to add, 1 to change, 2 to destroy (1 replaced)')
  })

  it.each([null, {}, { resource_changes: 'x' }, { resource_changes: [{}] }])(
    'survives odd input %j',
    (input) => {
      const plan = summarizePlanJson(input)
      expect(plan.add + plan.change + plan.destroy + plan.replace).toBe(0)
    },
  )
})
