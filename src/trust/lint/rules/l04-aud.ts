import {
  claimConditions,
  hasWildcard,
  misprefixedClaimConditions,
  pos,
  q,
  webIdentityAllows,
} from '../helpers.js'
import type { LintRule, RawFinding } from '../types.js'

/** Audiences shared by every tenant of an issuer (the sub is then the only boundary). */
const SHARED_AUDIENCES = ['sts.amazonaws.com', 'sts.amazon.com', 'aws', 'amazon']

/** L04 aud: the audience is not pinned, pinned loosely, or pinned to a shared or foreign value. */
export const audLoose: LintRule = {
  id: 'L04',
  name: 'aud-missing-or-loose',
  severity: 'error',
  title: 'No exact condition on `<provider>:aud`, or an audience that is shared or not ours.',
  check(ctx) {
    const out: RawFinding[] = []
    const ours = ctx.options.audience
    for (const view of webIdentityAllows(ctx)) {
      const provider = ctx.ourProvider ?? view.providers[0] ?? '<provider>'
      const conditions = claimConditions(ctx, view, 'aud')
      if (conditions.length === 0) {
        if (misprefixedClaimConditions(ctx, view, 'aud').length > 0) continue // L08
        out.push({
          message: `${view.label} has no condition on ${provider}:aud: the role accepts tokens minted for any audience the provider lists, so another organization's tokens are only kept out by the subject.`,
          statement: view.label,
          key: `${provider}:aud`,
          fix: `Add "StringEquals": { "${provider}:aud": "${ours ?? 'aws:<organizationId>'}" }.`,
          position: view.position,
        })
        continue
      }
      for (const c of conditions) {
        if (c.failOpen) continue // L05
        for (const value of c.entry.values) {
          let why: string | undefined
          if (c.op.like && hasWildcard(value))
            why = `${c.entry.operator} with the wildcard value ${q(value)} accepts many audiences`
          else if (SHARED_AUDIENCES.includes(value.toLowerCase()))
            why = `${q(value)} is a shared audience (one value for every tenant), so the subject is the only boundary between organizations`
          else if (ours !== undefined && value !== ours)
            why = `${q(value)} is not this organization's audience (${q(ours)})`
          if (why === undefined) continue
          out.push({
            message: `${view.label}: ${c.entry.key}: ${why}.`,
            statement: view.label,
            key: c.entry.key,
            fix: `Pin the organization's own audience with StringEquals: "${c.entry.key}": "${ours ?? 'aws:<organizationId>'}".`,
            position: pos(c),
          })
        }
      }
    }
    return out
  },
}
