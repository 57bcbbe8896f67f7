import { hasWildcard, pos, q, subValues, webIdentityAllows } from '../helpers.js'
import type { LintRule, RawFinding } from '../types.js'

/**
 * L18 sub-format-version: a sub value matches no subject of the organization's current
 * template (an old or foreign format). When no value fits, every deployment is denied.
 */
export const subFormat: LintRule = {
  id: 'L18',
  name: 'sub-format-version',
  severity: 'info',
  title: "A sub value does not fit the organization's subject template (old or foreign format).",
  check(ctx) {
    const out: RawFinding[] = []
    for (const view of webIdentityAllows(ctx)) {
      // A literal * under StringEquals is L06's finding, not a format question.
      const values = subValues(ctx, view).filter(
        (v) => v.condition.op.like || !hasWildcard(v.value),
      )
      const fitting = values.filter((v) => v.analysis.fits).length
      for (const v of values) {
        if (v.analysis.fits) continue
        out.push({
          severity: fitting === 0 ? 'warning' : 'info',
          message:
            fitting === 0
              ? `${view.label}: no value of ${v.condition.entry.key} fits the subject template ${q(ctx.subjectTemplate)}; ${q(v.value)} looks like an old or foreign format, so every keyless deployment is denied.`
              : `${view.label}: ${q(v.value)} in ${v.condition.entry.key} does not fit the subject template ${q(ctx.subjectTemplate)}: if it is the old format kept for a migration (dual accept), remove it once every deployment uses the new one.`,
          statement: view.label,
          key: v.condition.entry.key,
          fix: 'Run `keyless setup aws … --previous-subject-template "<old template>"` for a dual-accept policy, then drop the old values after the migration.',
          position: pos(v.condition),
        })
      }
    }
    return out
  },
}
