import { defineAction } from '../../action.js'
import { AwsError } from '../../errors.js'
import { getRole, members } from '../../iam/common.js'

export const deleteRole = defineAction({
  service: 'iam',
  name: 'DeleteRole',
  auth: 'admin',
  input: { RoleName: members.roleName },
  handler(input, ctx) {
    ctx.state.transaction(() => {
      const role = getRole(ctx, input.RoleName)
      if (Object.keys(role.inlinePolicies).length > 0)
        throw new AwsError('DeleteConflict', 'Cannot delete entity, must delete policies first.')
      ctx.state.roles.delete(role.name.toLowerCase())
    })
  },
})
