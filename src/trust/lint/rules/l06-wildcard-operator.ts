import { hasWildcard, pos, q } from '../helpers.js'
import type { LintRule, RawFinding } from '../types.js'

/**
 * L06: a `*` or `?` under StringEquals is a literal (it never matches a real subject: silent
 * deny); StringLike with no wildcard at all should be StringEquals.
 */
export const wildcardOperator: LintRule = {
  id: 'L06',
  name: 'wildcard-operator-mismatch',
  severity: 'warning',
  title: 'A wildcard under StringEquals (never matches), or StringLike without any wildcard.',
  check(ctx) {
    const out: RawFinding[] = []
    for (const view of ctx.statements) {
      for (const c of view.conditions) {
        if (!c.op.stringFamily || c.op.isNull) continue
        if (!c.op.like) {
          for (const value of c.entry.values) {
            if (!hasWildcard(value)) continue
            out.push({
              message: `${view.label}: ${c.entry.operator} compares ${c.entry.key} with ${q(value)} literally: the * or ? is not a wildcard here, so this value never matches a real token.`,
              statement: view.label,
              key: c.entry.key,
              fix: `Use "${c.entry.operator.replace(/Equals(IgnoreCase)?/u, 'Like')}" for patterns, or list the exact values.`,
              position: pos(c),
            })
          }
        } else if (!c.entry.values.some(hasWildcard)) {
          out.push({
            severity: 'info',
            message: `${view.label}: ${c.entry.operator} on ${c.entry.key} has no wildcard in any value; it works like StringEquals but reads as a pattern.`,
            statement: view.label,
            key: c.entry.key,
            fix: `Use "${c.entry.operator.replace(/Like/u, 'Equals')}".`,
            position: pos(c),
          })
        }
      }
    }
    return out
  },
}
