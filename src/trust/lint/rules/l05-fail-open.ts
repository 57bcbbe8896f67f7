import { claimConditions, pos, webIdentityAllows } from '../helpers.js'
import type { ConditionView } from '../model.js'
import type { LintRule, RawFinding } from '../types.js'

function why(c: ConditionView): string {
  if (c.op.set === 'ForAllValues')
    return 'ForAllValues is true when the key is absent or empty, and these keys are single-valued'
  if (c.op.ifExists) return 'IfExists passes whenever the key is absent'
  if (c.op.isNull) return 'Null only tests presence; it pins no value'
  return `${c.op.base} is true when the key is absent and for every value not listed`
}

/** L05 fail-open: operators on sub, aud or aws:RequestTag/* that pass when the key is absent. */
export const failOpen: LintRule = {
  id: 'L05',
  name: 'fail-open-operator',
  severity: 'error',
  title:
    'A fail-open operator (ForAllValues, IfExists, negated, Null) guards sub, aud or a request tag.',
  check(ctx) {
    const out: RawFinding[] = []
    for (const view of webIdentityAllows(ctx)) {
      const guarded = [
        ...claimConditions(ctx, view, 'sub'),
        ...claimConditions(ctx, view, 'aud'),
        ...view.conditions.filter((c) => c.requestTag !== undefined),
      ]
      for (const c of guarded) {
        if (!c.failOpen) continue
        const positive = c.op.base.replace(/Not/u, '').replace(/^Null$/u, 'StringEquals')
        out.push({
          message: `${view.label}: ${c.entry.operator} on ${c.entry.key} fails open: ${why(c)}.`,
          statement: view.label,
          key: c.entry.key,
          fix: `Use a positive operator without set prefix or IfExists: "${positive === 'StringLike' ? 'StringLike' : 'StringEquals'}": { "${c.entry.key}": [ … ] }.`,
          position: pos(c),
        })
      }
    }
    return out
  },
}
