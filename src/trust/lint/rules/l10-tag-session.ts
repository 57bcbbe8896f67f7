import { pos, trustsOurProvider, webIdentityAllows } from '../helpers.js'
import type { LintRule, RawFinding } from '../types.js'

/**
 * L10 tags-without-tagsession: keyless tokens carry session tags (the
 * `https://aws.amazon.com/tags` claim), and STS then also requires sts:TagSession: without it
 * every AssumeRoleWithWebIdentity is AccessDenied. In reverse, aws:RequestTag conditions while
 * tags are off never see a tag.
 */
export const tagSession: LintRule = {
  id: 'L10',
  name: 'tags-without-tagsession',
  severity: 'error',
  title:
    'Session tags are sent but sts:TagSession is not allowed (or tag conditions with tags off).',
  check(ctx) {
    const out: RawFinding[] = []
    const allows = webIdentityAllows(ctx)
    if (ctx.sessionTags) {
      const tagAllowed = ctx.statements.some(
        (v) => v.effect === 'Allow' && v.allowsTagSession && trustsOurProvider(ctx, v),
      )
      if (!tagAllowed)
        for (const view of allows)
          out.push({
            message: `${view.label} allows sts:AssumeRoleWithWebIdentity but no statement allows sts:TagSession; keyless tokens carry session tags, so STS answers AccessDenied ("Not authorized to perform sts:TagSession").`,
            statement: view.label,
            key: 'Action',
            fix: `Add "sts:TagSession" to the Action list: "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"] (or turn session tags off on the credential).`,
            position: view.statement.action?.position ?? view.position,
          })
    } else {
      for (const view of allows)
        for (const c of view.conditions) {
          if (c.requestTag === undefined || c.failOpen) continue
          out.push({
            severity: 'warning',
            message: `${view.label}: ${c.entry.key} is checked, but session tags are off, so the key is never present and the condition never matches.`,
            statement: view.label,
            key: c.entry.key,
            fix: 'Turn session tags on for the credential, or pin the value through the subject instead.',
            position: pos(c),
          })
        }
    }
    return out
  },
}
