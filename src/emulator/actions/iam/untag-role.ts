import { defineAction } from '../../action.js'
import { getRole, members, removeTags } from '../../iam/common.js'

export const untagRole = defineAction({
  service: 'iam',
  name: 'UntagRole',
  auth: 'admin',
  input: { RoleName: members.roleName, TagKeys: members.tagKeys },
  handler(input, ctx) {
    ctx.state.transaction(() => {
      const role = getRole(ctx, input.RoleName)
      ctx.state.roles.put(role.name.toLowerCase(), {
        ...role,
        tags: removeTags(role.tags, input.TagKeys, true),
      })
    })
  },
})
