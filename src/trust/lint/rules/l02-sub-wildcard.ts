import { describeScope } from '../../subject-pattern.js'
import { pos, q, subValues, webIdentityAllows } from '../helpers.js'
import type { LintRule, RawFinding } from '../types.js'

/**
 * L02 sub-wildcard: a value of the sub list pins nothing (`*`, `?*`, `org:*`), or pins only the
 * organization while other values of the same list pin a project or an environment. Every
 * value is read, not only the first (the AWS guardrail and CKV_AWS_358 read only the first).
 */
export const subWildcard: LintRule = {
  id: 'L02',
  name: 'sub-wildcard',
  severity: 'error',
  title: 'A `sub` value is a wildcard that lets in every deployment (or a whole organization).',
  check(ctx) {
    const out: RawFinding[] = []
    for (const view of webIdentityAllows(ctx)) {
      const values = subValues(ctx, view).filter((v) => v.analysis.fits)
      const narrowest = values.some(
        (v) => v.analysis.scope === 'project' || v.analysis.scope === 'environment',
      )
      for (const v of values) {
        const { scope, pinned } = v.analysis
        const widens = scope === 'organization' && narrowest && values.length > 1
        if (scope !== 'any' && !widens) continue
        const reach = describeScope(scope, pinned)
        out.push({
          message: widens
            ? `${view.label}: the value ${q(v.value)} of ${v.condition.entry.key} pins only the organization, while the other values pin projects or environments: this one value lets in ${reach}.`
            : `${view.label}: the value ${q(v.value)} of ${v.condition.entry.key} (${v.condition.entry.operator}) pins no part of the subject: this role can be assumed by ${reach}.`,
          statement: view.label,
          key: v.condition.entry.key,
          fix: `Replace ${q(v.value)} with the ID-based subject of what should deploy, e.g. "org:<orgId>:project:<projectId>:environment:<environmentId>:type:*".`,
          position: pos(v.condition),
        })
      }
    }
    return out
  },
}
