import { claimConditions, misprefixedClaimConditions, webIdentityAllows } from '../helpers.js'
import type { LintRule, RawFinding } from '../types.js'

/** L01 no-sub: the issuer is trusted, but nothing pins the subject. */
export const noSub: LintRule = {
  id: 'L01',
  name: 'no-sub',
  severity: 'error',
  title: 'Web identity is allowed with no condition on the subject (`<provider>:sub`).',
  check(ctx) {
    const out: RawFinding[] = []
    for (const view of webIdentityAllows(ctx)) {
      if (claimConditions(ctx, view, 'sub').length > 0) continue
      if (misprefixedClaimConditions(ctx, view, 'sub').length > 0) continue // L08 says it
      const provider = ctx.ourProvider ?? view.providers[0] ?? '<provider>'
      out.push({
        message: `${view.label} allows sts:AssumeRoleWithWebIdentity with no condition on ${provider}:sub: every token the issuer signs for this audience can assume the role (any organization, project or environment).`,
        statement: view.label,
        key: `${provider}:sub`,
        fix: `Add "StringEquals": { "${provider}:sub": "<the exact subject>" } (or StringLike over the ID-based subject, e.g. "org:<orgId>:project:<projectId>:*"); \`keyless setup aws\` writes it for you.`,
        position: view.position,
      })
    }
    return out
  },
}
