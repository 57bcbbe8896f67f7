import { narrower, wider, type SubjectScope } from '../../subject-pattern.js'
import { hasWildcard, isPositivePin, SCOPE_TAGS, subValues, webIdentityAllows } from '../helpers.js'
import type { LintRule, RawFinding } from '../types.js'

/** L12 org-only-scope: only the organization is pinned (no project, environment or template). */
export const orgOnly: LintRule = {
  id: 'L12',
  name: 'org-only-scope',
  severity: 'warning',
  title: 'Only the organization is pinned: every project and environment can use the role.',
  check(ctx) {
    const out: RawFinding[] = []
    for (const view of webIdentityAllows(ctx)) {
      const values = subValues(ctx, view).filter((v) => v.analysis.fits)
      if (values.length === 0) continue
      let scope: SubjectScope = values.map((v) => v.analysis.scope).reduce((a, b) => wider(a, b))
      for (const c of view.conditions) {
        const level = SCOPE_TAGS[(c.requestTag ?? '').toLowerCase()]
        if (level === undefined || !isPositivePin(c) || c.entry.values.some(hasWildcard)) continue
        scope = narrower(scope, level)
      }
      if (scope !== 'organization') continue
      // One org-wide value among project/environment values is L02's finding.
      if (values.some((v) => v.analysis.scope === 'project' || v.analysis.scope === 'environment'))
        continue
      const org = values.find((v) => v.analysis.pinned.organizationId)?.analysis.pinned
        .organizationId
      out.push({
        message: `${view.label}: only the organization${org === undefined ? '' : ` ${org}`} is pinned; every deployment of every project and environment in it can assume this role.`,
        statement: view.label,
        key: values[0]?.condition.entry.key ?? null,
        fix: 'Pin the project or environment too: "org:<orgId>:project:<projectId>:*", or add "aws:RequestTag/projectId". Use one role per blast radius.',
        position: view.position,
      })
    }
    return out
  },
}
