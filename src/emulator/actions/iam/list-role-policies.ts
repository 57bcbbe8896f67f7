import { defineAction } from '../../action.js'
import { getRole, members, page } from '../../iam/common.js'

export const listRolePolicies = defineAction({
  service: 'iam',
  name: 'ListRolePolicies',
  auth: 'admin',
  input: { RoleName: members.roleName, Marker: members.marker, MaxItems: members.maxItems },
  result: [
    ['PolicyNames', { list: 'string' }],
    ['IsTruncated', 'boolean'],
    ['Marker', 'string'],
  ],
  handler(input, ctx) {
    const role = getRole(ctx, input.RoleName)
    const names = Object.keys(role.inlinePolicies).sort()
    const result = page(names, (n) => n, input.Marker, input.MaxItems)
    return { PolicyNames: result.items, IsTruncated: result.isTruncated, Marker: result.marker }
  },
})
