import { claimsRead, onlyUserControlled } from '../claims.js'
import type { GcpLintContext, GcpLintRule, GcpRawFinding, MemberView } from '../types.js'

const POOL_SET =
  /^principalSet:\/\/iam\.googleapis\.com\/projects\/[^/]+\/locations\/global\/workloadIdentityPools\/([^/]+)\/(.+)$/u

function problem(ctx: GcpLintContext, m: MemberView): string | null {
  const hit = POOL_SET.exec(m.member)
  if (hit === null) return null
  const [, pool = '', rest = ''] = hit
  if (rest === '*')
    return `is every identity of pool ${pool}: every token its providers accept — of any organization the condition lets through — can impersonate the service account`
  const attr = /^attribute\.([^/]+)\//u.exec(rest)?.[1]
  if (attr === undefined) return null
  const mapped = ctx.providers
    .filter((p) => p.label.includes(`/workloadIdentityPools/${pool}/`))
    .map((p) => p.attributeMapping[`attribute.${attr}`])
    .filter((s): s is string => typeof s === 'string')
  if (mapped.length > 0 && mapped.every((s) => onlyUserControlled(claimsRead(s, {}))))
    return `names attribute.${attr}, mapped from a claim a deployer chooses (${mapped.join(', ')}): it is not narrower than the pool`
  return null
}

/** GCP05: a binding's principal set is wider than the organization. */
export const principalSetTooWide: GcpLintRule = {
  id: 'GCP05',
  name: 'principal-set-too-wide',
  severity: 'error',
  title:
    'A principal set bound to a service account is wider than the organization: the whole pool (`/*`), or an attribute a deployer chooses.',
  check(ctx) {
    const out: GcpRawFinding[] = []
    for (const m of ctx.members) {
      const why = problem(ctx, m)
      if (why === null) continue
      const on = m.serviceAccount === null ? '' : ` on ${m.serviceAccount}`
      out.push({
        message: `${m.role}${on}: ${m.member} ${why}.`,
        statement: m.member,
        key: 'members',
        fix: `Bind principalSet://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/POOL/attribute.organization/${ctx.options.organizationId ?? '<organizationId>'} (or attribute.environment/<environmentId>) instead; keyless setup gcp writes it.`,
      })
    }
    return out
  },
}
