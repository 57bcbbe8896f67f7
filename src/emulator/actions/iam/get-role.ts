import { defineAction } from '../../action.js'
import { getRole, members, roleShape, roleView } from '../../iam/common.js'

export const getRoleAction = defineAction({
  service: 'iam',
  name: 'GetRole',
  auth: 'admin',
  input: { RoleName: members.roleName },
  result: [['Role', { structure: roleShape }]],
  handler(input, ctx) {
    return { Role: roleView(getRole(ctx, input.RoleName), 'get') }
  },
})
