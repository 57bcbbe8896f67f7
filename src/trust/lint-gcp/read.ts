/**
 * Reads providers and bindings from JSON: one IAM v1 provider, IAM's list answer
 * (`{ "workloadIdentityPoolProviders": [...] }`), an array of providers, an IAM policy
 * (`{ "bindings": [{ "role", "members" }] }`), or the JSON of `keyless setup gcp`
 * (`{ "providers": [...], "bindings": [{ "serviceAccount", "role", "member" }] }`).
 */
import { KeylessError } from '../../shared/errors.js'
import type { MemberView, ProviderView } from './types.js'

const MAX_READ = 1000

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function unreadable(detail: string): never {
  throw new KeylessError(
    'input_unreadable',
    `not workload identity providers: ${detail} (expected an IAM v1 provider, { "workloadIdentityPoolProviders": [...] }, an IAM policy, or the JSON of keyless setup gcp)`,
  )
}

function provider(raw: unknown, i: number): ProviderView {
  if (!isObject(raw)) unreadable(`provider ${i} is not an object`)
  const oidc = isObject(raw['oidc']) ? raw['oidc'] : {}
  return {
    label: typeof raw['name'] === 'string' ? raw['name'] : `[${i}]`,
    attributeMapping: isObject(raw['attributeMapping']) ? raw['attributeMapping'] : {},
    attributeCondition: raw['attributeCondition'],
    allowedAudiences: oidc['allowedAudiences'],
  }
}

function providers(json: Record<string, unknown> | unknown[]): ProviderView[] {
  const list = Array.isArray(json)
    ? json
    : (json['workloadIdentityPoolProviders'] ?? json['providers'] ?? ('oidc' in json ? [json] : []))
  if (!Array.isArray(list)) unreadable('the providers are not an array')
  if (list.length > MAX_READ) unreadable(`${list.length} providers`)
  return list.map(provider)
}

function members(json: Record<string, unknown> | unknown[]): MemberView[] {
  const bindings = Array.isArray(json) ? [] : (json['bindings'] ?? [])
  if (!Array.isArray(bindings)) unreadable('the bindings are not an array')
  return bindings.flatMap((b: unknown): MemberView[] => {
    if (!isObject(b)) return unreadable('a binding is not an object')
    const role = typeof b['role'] === 'string' ? b['role'] : ''
    const sa = typeof b['serviceAccount'] === 'string' ? b['serviceAccount'] : null
    const all = Array.isArray(b['members']) ? b['members'] : [b['member']]
    return all
      .filter((m): m is string => typeof m === 'string')
      .map((member) => ({ serviceAccount: sa, role, member }))
  })
}

export function readProviders(text: string): { providers: ProviderView[]; members: MemberView[] } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    unreadable(`not JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  if (!isObject(json) && !Array.isArray(json)) unreadable('the document is not an object or array')
  const out = { providers: providers(json), members: members(json) }
  if (out.providers.length === 0 && out.members.length === 0)
    unreadable('no provider and no binding')
  return out
}
