/**
 * What `setup gcp --apply` does with a provider that already exists: keep it when Google would
 * accept the planned tokens through it (same issuer, the audience allowed, the same mapping and
 * condition); otherwise say what differs, and nothing is written.
 */
import { arrayAt, at, stringAt } from '../azure/entra-http.js'
import type { PlannedProvider } from './model.js'

const same = (a: unknown, b: Readonly<Record<string, string>>): boolean => {
  const x = (typeof a === 'object' && a !== null ? a : {}) as Record<string, unknown>
  const keys = new Set([...Object.keys(x), ...Object.keys(b)])
  return [...keys].every((k) => x[k] === b[k])
}

/** Why an existing provider (IAM v1 JSON) is not the planned one; empty when it is. */
export function providerDifferences(existing: unknown, planned: PlannedProvider): string[] {
  const out: string[] = []
  const issuer = stringAt(existing, 'oidc', 'issuerUri')
  if (issuer !== planned.issuerUri) out.push(`issuerUri is ${issuer}, not ${planned.issuerUri}`)
  const audiences = arrayAt(existing, 'oidc', 'allowedAudiences')
  const missing = planned.allowedAudiences.filter((a) => !audiences.includes(a))
  if (missing.length > 0) out.push(`allowedAudiences lacks ${missing.join(', ')}`)
  if (!same(at(existing, 'attributeMapping'), planned.attributeMapping))
    out.push('attributeMapping differs')
  if (stringAt(existing, 'attributeCondition') !== planned.attributeCondition)
    out.push(`attributeCondition is not ${planned.attributeCondition}`)
  if (at(existing, 'disabled') === true) out.push('it is disabled')
  if (stringAt(existing, 'state') === 'DELETED') out.push('it is deleted (undelete it)')
  return out
}
