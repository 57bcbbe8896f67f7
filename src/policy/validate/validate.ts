import { parsePolicy } from '../parse/parse.js'
import type { PolicyValidation } from '../types.js'

/** What IAM answers on CreateRole / UpdateAssumeRolePolicy for this trust policy text. */
export function validateTrustPolicy(text: string): PolicyValidation {
  const parsed = parsePolicy(text)
  if (!parsed.ok)
    return {
      ok: false,
      code: 'MalformedPolicyDocument',
      message: 'This policy contains invalid Json',
    }
  return { ok: true, policy: parsed.policy }
}

/** What IAM answers on PutRolePolicy (and STS for a session policy) for this policy text. */
export function validateIdentityPolicy(text: string): PolicyValidation {
  return validateTrustPolicy(text)
}
