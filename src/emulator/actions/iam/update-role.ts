import { defineAction } from '../../action.js'
import { getRole, members } from '../../iam/common.js'

export const updateRole = defineAction({
  service: 'iam',
  name: 'UpdateRole',
  auth: 'admin',
  input: {
    RoleName: members.roleName,
    Description: members.description,
    MaxSessionDuration: members.maxSessionDuration,
  },
  result: [],
  handler(input, ctx) {
    ctx.state.transaction(() => {
      const role = getRole(ctx, input.RoleName)
      ctx.state.roles.put(role.name.toLowerCase(), {
        ...role,
        ...(input.Description === undefined ? {} : { description: input.Description }),
        ...(input.MaxSessionDuration === undefined
          ? {}
          : { maxSessionDuration: input.MaxSessionDuration }),
      })
    })
    return {}
  },
})
