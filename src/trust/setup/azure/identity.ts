/** The ARM resource id of a user-assigned managed identity, read into its parts. */
import { KeylessError } from '../../../shared/errors.js'
import type { ManagedIdentityRef } from './model.js'

const RESOURCE_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/iu

export function managedIdentityRef(resourceId: string): ManagedIdentityRef {
  const m = RESOURCE_ID.exec(resourceId.trim())
  if (m === null)
    throw new KeylessError(
      'usage_error',
      `${JSON.stringify(resourceId)} is not the resource id of a user-assigned managed identity (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME)`,
    )
  const [, subscriptionId = '', resourceGroup = '', name = ''] = m
  return { resourceId: resourceId.trim(), subscriptionId, resourceGroup, name }
}
