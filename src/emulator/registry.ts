/** The one table of actions (practice 2): service + Action name → module. */
import type { RegisteredAction } from './action.js'
import { addClientIDToOpenIDConnectProvider } from './actions/iam/add-client-id-to-open-id-connect-provider.js'
import { createOpenIDConnectProvider } from './actions/iam/create-open-id-connect-provider.js'
import { createRole } from './actions/iam/create-role.js'
import { deleteOpenIDConnectProvider } from './actions/iam/delete-open-id-connect-provider.js'
import { deleteRolePolicy } from './actions/iam/delete-role-policy.js'
import { deleteRole } from './actions/iam/delete-role.js'
import { getOpenIDConnectProvider } from './actions/iam/get-open-id-connect-provider.js'
import { getRolePolicy } from './actions/iam/get-role-policy.js'
import { getRoleAction } from './actions/iam/get-role.js'
import { listAttachedRolePolicies } from './actions/iam/list-attached-role-policies.js'
import { listOpenIDConnectProviderTags } from './actions/iam/list-open-id-connect-provider-tags.js'
import { listOpenIDConnectProviders } from './actions/iam/list-open-id-connect-providers.js'
import { listRolePolicies } from './actions/iam/list-role-policies.js'
import { listRoleTags } from './actions/iam/list-role-tags.js'
import { listRoles } from './actions/iam/list-roles.js'
import { putRolePolicy } from './actions/iam/put-role-policy.js'
import { removeClientIDFromOpenIDConnectProvider } from './actions/iam/remove-client-id-from-open-id-connect-provider.js'
import { tagOpenIDConnectProvider } from './actions/iam/tag-open-id-connect-provider.js'
import { tagRole } from './actions/iam/tag-role.js'
import { untagOpenIDConnectProvider } from './actions/iam/untag-open-id-connect-provider.js'
import { untagRole } from './actions/iam/untag-role.js'
import { updateAssumeRolePolicy } from './actions/iam/update-assume-role-policy.js'
import { updateOpenIDConnectProviderThumbprint } from './actions/iam/update-open-id-connect-provider-thumbprint.js'
import { updateRole } from './actions/iam/update-role.js'
import { assumeRoleWithWebIdentity } from './actions/sts/assume-role-with-web-identity.js'
import { getCallerIdentity } from './actions/sts/get-caller-identity.js'
import type { ServiceName } from './protocol/xml.js'

export const allActions: readonly RegisteredAction[] = [
  assumeRoleWithWebIdentity,
  getCallerIdentity,
  createOpenIDConnectProvider,
  getOpenIDConnectProvider,
  listOpenIDConnectProviders,
  deleteOpenIDConnectProvider,
  addClientIDToOpenIDConnectProvider,
  removeClientIDFromOpenIDConnectProvider,
  updateOpenIDConnectProviderThumbprint,
  tagOpenIDConnectProvider,
  untagOpenIDConnectProvider,
  listOpenIDConnectProviderTags,
  createRole,
  getRoleAction,
  listRoles,
  updateRole,
  updateAssumeRolePolicy,
  deleteRole,
  tagRole,
  untagRole,
  listRoleTags,
  putRolePolicy,
  getRolePolicy,
  deleteRolePolicy,
  listRolePolicies,
  listAttachedRolePolicies,
]

export const serviceVersions: Readonly<Record<ServiceName, string>> = {
  sts: '2011-06-15',
  iam: '2010-05-08',
}

const byService = new Map<ServiceName, Map<string, RegisteredAction>>()
for (const a of allActions) {
  let names = byService.get(a.service)
  if (names === undefined) byService.set(a.service, (names = new Map<string, RegisteredAction>()))
  names.set(a.name, a)
}

export function findAction(service: ServiceName, name: string): RegisteredAction | undefined {
  return byService.get(service)?.get(name)
}

const byVersion = new Map(
  Object.entries(serviceVersions).map(([service, v]) => [v, service as ServiceName]),
)

export function serviceOfVersion(version: string): ServiceName | undefined {
  return byVersion.get(version)
}
