import type { GcpLintRule } from '../types.js'

/** GCP04: allowedAudiences does not contain the credential's audience. */
export const audienceMissing: GcpLintRule = {
  id: 'GCP04',
  name: 'audience-not-allowed',
  severity: 'error',
  title:
    "allowedAudiences does not contain the credential's audience (gcp:<organizationId> by default): STS refuses every keyless token.",
  check(ctx) {
    const aud = ctx.audience
    if (aud === undefined) return []
    return ctx.providers.flatMap((p) => {
      const allowed = Array.isArray(p.allowedAudiences) ? (p.allowedAudiences as unknown[]) : []
      if (allowed.includes(aud)) return []
      const now =
        allowed.length === 0
          ? "it is empty, so Google accepts only the provider's own //iam.googleapis.com/… names"
          : `it is ${JSON.stringify(allowed)}`
      return [
        {
          message: `${p.label}: oidc.allowedAudiences lacks ${aud}, the aud of the credential's tokens (${now}); STS answers invalid_grant "The audience in ID Token … does not match the expected audience".`,
          statement: p.label,
          key: 'oidc.allowedAudiences',
          fix: `Add ${JSON.stringify(aud)} to oidc.allowedAudiences (at most 10), or set the credential's audience to one that is there.`,
        },
      ]
    })
  },
}
