/**
 * Audiences: the `aud` of an organization's tokens. Each organization's audience is its own
 * (a unique index in src/store/migrations/0003_tenant_boundary.ts), and no organization may take
 * the form another organization's per-cloud default has (`aws:<id>`, `azure:<id>`, `gcp:<id>`),
 * so a trust policy that pins `aud` admits one organization only (docs/security.md).
 */

/** `<cloud>:org_…`: the shape of a per-cloud default audience (`aws:org_…`, `azure:org_…`). */
const DEFAULT_SHAPE = /^([a-z0-9][a-z0-9-]*):(org_.*)$/isu

/** The default audience of an organization for a cloud. */
export function defaultAudience(organizationId: string, cloud = 'aws'): string {
  return `${cloud}:${organizationId}`
}

/** Problems with an audience for the organization `organizationId`, as messages; empty when valid. */
export function audienceProblems(audience: string, organizationId: string): string[] {
  const m = DEFAULT_SHAPE.exec(audience)
  if (m === null) return []
  const [, cloud = '', rest = ''] = m
  if (rest === organizationId && cloud === cloud.toLowerCase()) return []
  return [
    `${JSON.stringify(audience)} has the form of an organization's default audience (<cloud>:org_…) ` +
      `but does not name this organization: use ${JSON.stringify(defaultAudience(organizationId))} ` +
      `or an audience that does not start with <cloud>:org_`,
  ]
}
