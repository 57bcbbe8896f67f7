import {
  hasWildcard,
  isPositivePin,
  pos,
  q,
  SCOPE_TAGS,
  subValues,
  USER_CONTROLLED_TAGS,
  webIdentityAllows,
} from '../helpers.js'
import type { LintRule, RawFinding } from '../types.js'

/**
 * L11 tag-presence-or-user-tag: `aws:RequestTag/X` with only wildcard values proves only that
 * the tag is there; a policy gated only on a free-form tag (`userTag`, env0's `env0Tag`) is
 * gated on what any deployer can set.
 */
export const tagGating: LintRule = {
  id: 'L11',
  name: 'tag-presence-or-user-tag',
  severity: 'error',
  title: 'A request tag is checked only for presence, or the role is gated on a user-settable tag.',
  check(ctx) {
    const out: RawFinding[] = []
    for (const view of webIdentityAllows(ctx)) {
      const tags = view.conditions.filter((c) => c.requestTag !== undefined && isPositivePin(c))
      for (const c of tags) {
        if (c.op.like && c.entry.values.every((v) => v.replace(/[*?]/gu, '') === '')) {
          out.push({
            message: `${view.label}: ${c.entry.operator} ${c.entry.key} = ${c.entry.values.map(q).join(', ')} only proves the tag is present; every deployment carries it.`,
            statement: view.label,
            key: c.entry.key,
            fix: `Pin the value: "StringEquals": { "${c.entry.key}": "<id>" }.`,
            position: pos(c),
          })
        }
      }
      const userTags = tags.filter((c) =>
        (USER_CONTROLLED_TAGS as readonly string[]).includes((c.requestTag ?? '').toLowerCase()),
      )
      if (userTags.length === 0) continue
      const subPinned = subValues(ctx, view).some(
        (v) => v.analysis.fits && v.analysis.scope !== 'any' && v.analysis.scope !== 'organization',
      )
      const scopeTagPinned = tags.some(
        (c) =>
          SCOPE_TAGS[(c.requestTag ?? '').toLowerCase()] !== undefined &&
          SCOPE_TAGS[(c.requestTag ?? '').toLowerCase()] !== 'organization' &&
          !c.entry.values.some(hasWildcard),
      )
      if (subPinned || scopeTagPinned) continue
      for (const c of userTags)
        out.push({
          message: `${view.label}: the role is gated on ${c.entry.key}, a free-form tag that whoever may set variables can set to anything; it is not a trust anchor.`,
          statement: view.label,
          key: c.entry.key,
          fix: 'Pin the subject (project or environment ID) or aws:RequestTag/projectId / environmentId; keep userTag for reporting only.',
          position: pos(c),
        })
    }
    return out
  },
}
