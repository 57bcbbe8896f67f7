/** What the trust routes share: the policy size limit, durations, the organization's tag setting. */
import { z } from 'zod'
import type { Principal } from '../../../platform/index.js'
import type { Organization } from '../../../shared/contracts/resources.js'
import { KeylessError, ValidationFailed } from '../../../shared/errors.js'
import type { RouteDeps } from '../../deps.js'

export const TAG = 'trust'
export const POLICY_MAX = 128 * 1024
export const durationField = z.number().int().min(1).max(129_600)

/** Whether the organization's tokens carry session tags (true unless every credential turns them off). */
export async function sessionTagsOf(
  deps: RouteDeps,
  principal: Principal,
  org: Organization,
): Promise<boolean> {
  const credentials = await deps.platform.credentials.list(principal, org.id, { limit: 200 })
  return (
    credentials.items.length === 0 ||
    credentials.items.some((c) => c.type === 'aws-oidc' && c.sessionTags)
  )
}

/** A policy that does not read is a 400 naming the body field, like any invalid field. */
export function policyProblem(error: unknown, path: string): never {
  if (error instanceof KeylessError && error.code === 'input_unreadable')
    throw new ValidationFailed(error.message, [{ path, message: error.message }])
  throw error
}
