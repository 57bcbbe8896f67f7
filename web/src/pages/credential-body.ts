/**
 * Helpers the credential forms share: optional text fields are sent trimmed or not at all (the
 * API applies its defaults), and a few shape checks that warn before the API refuses.
 */

/** `{ [key]: value.trim() }`, or nothing when the field is empty. */
export function optional<K extends string>(key: K, value: string): Partial<Record<K, string>> {
  const v = value.trim()
  return v === '' ? {} : ({ [key]: v } as Record<K, string>)
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu

/** A warning when a filled field is not a GUID (Entra's tenant, client and subscription ids). */
export function guidWarning(value: string, what: string): string | undefined {
  return value.trim() === '' || GUID.test(value.trim())
    ? undefined
    : `This does not look like ${what} (a GUID such as 8a1f5c2e-0d4b-4c67-9e1a-3b5f7d9c2e10).`
}

/**
 * What a subject template costs at Entra, which matches `sub` exactly with at most 20 federated
 * credentials per application: a placeholder that multiplies the subjects of an environment, or
 * one that makes every deployment's subject new (no federated credential can ever match it).
 */
export function azureTemplateWarning(template: string): string | undefined {
  if (template.includes('{deploymentId}'))
    return '{deploymentId} gives every deployment a new subject: no federated credential can match it.'
  const multipliers = [
    ['{deploymentType}', 'deploy, destroy, plan and task'],
    ['{runPhase}', 'plan, apply and task'],
    ['{templateId}', 'each template'],
  ].filter(([p]) => template.includes(p ?? ''))
  if (multipliers.length === 0) return undefined
  return `${multipliers.map(([p, what]) => `${p} (${what})`).join(' and ')} multiplies the federated credentials each environment needs; Entra allows 20 per application.`
}
