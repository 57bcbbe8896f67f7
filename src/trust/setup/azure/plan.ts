/**
 * `planAzureSetup`: the federated identity credentials each application (or user-assigned managed
 * identity) needs so that Entra accepts every token of the chosen environments, and which
 * applications need more than Entra's 20 (with a subject template that fits). Pure.
 */
import { KeylessError } from '../../../shared/errors.js'
import { draftApplications } from './applications.js'
import { overLimits } from './fit.js'
import type { AzureSetupInput, AzureSetupPlan } from './model.js'

/** Plans the FICs of an organization's Azure setup (pure); `overLimit` lists what does not fit. */
export function planAzureSetup(input: AzureSetupInput): AzureSetupPlan {
  const target = input.target ?? 'application'
  if (target === 'managed-identity') {
    const missing = draftApplications(input)
      .map((a) => a.clientId)
      .filter((id) => input.identities?.[id] === undefined)
    if (missing.length > 0)
      throw new KeylessError(
        'usage_error',
        `managed identities: give the ARM resource id of each (--identity CLIENT_ID=/subscriptions/…/userAssignedIdentities/NAME); missing for ${missing.join(', ')}`,
      )
  }
  const applications = draftApplications(input)
  return {
    organizationId: input.organizationId,
    issuer: input.issuer,
    target,
    applications,
    overLimit: overLimits(input, applications),
  }
}
