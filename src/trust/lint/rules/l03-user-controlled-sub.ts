import { isPositivePin, pos, q, subValues, webIdentityAllows } from '../helpers.js'
import type { LintRule, RawFinding } from '../types.js'

/** Placeholders whose values are fixed words, not IDs or names. */
const ENUMS = ['deploymentType', 'runPhase']
const NAME_TAGS = ['organizationname', 'projectname', 'environmentname', 'templatename']
const ID_LIKE =
  /^(?:[a-z][a-z0-9]{1,11}_[0-9a-z]{6,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?=.*\d)[A-Za-z0-9_.-]+|\$\{.+\})$/u

/**
 * L03 user-controlled-sub: the policy pins names, which tenants choose and reuse, rather than
 * immutable IDs. keyless subjects and session tags carry IDs only.
 */
export const userControlledSub: LintRule = {
  id: 'L03',
  name: 'user-controlled-sub',
  severity: 'warning',
  title: 'The subject or a tag is pinned to a name instead of an immutable ID.',
  check(ctx) {
    const out: RawFinding[] = []
    for (const view of webIdentityAllows(ctx)) {
      for (const v of subValues(ctx, view)) {
        if (!v.analysis.fits) continue
        for (const [name, value] of Object.entries(v.analysis.pinned)) {
          if (ENUMS.includes(name) || value === undefined || ID_LIKE.test(value)) continue
          out.push({
            message: `${view.label}: ${v.condition.entry.key} pins {${name}} to ${q(value)}, which looks like a name; keyless subjects carry immutable IDs, so this value matches nothing today and could match a renamed or re-created object tomorrow.`,
            statement: view.label,
            key: v.condition.entry.key,
            fix: `Use the ${name} (an ID such as "prj_…"), as shown by \`keyless preflight\` or the console.`,
            position: pos(v.condition),
          })
        }
      }
      for (const c of view.conditions) {
        if (c.requestTag === undefined || !isPositivePin(c)) continue
        if (!NAME_TAGS.includes(c.requestTag.toLowerCase())) continue
        out.push({
          message: `${view.label}: ${c.entry.key} pins a name; names can be chosen freely and reused, and keyless does not send them as session tags.`,
          statement: view.label,
          key: c.entry.key,
          fix: `Pin the ID instead: aws:RequestTag/${c.requestTag.replace(/Name$/iu, 'Id')}.`,
          position: pos(c),
        })
      }
    }
    return out
  },
}
