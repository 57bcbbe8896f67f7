import { defineAction } from '../../action.js'
import { getRole, members, mergeTags, toTags } from '../../iam/common.js'

export const tagRole = defineAction({
  service: 'iam',
  name: 'TagRole',
  auth: 'admin',
  input: { RoleName: members.roleName, Tags: { ...members.tags, required: true } },
  handler(input, ctx) {
    ctx.state.transaction(() => {
      const role = getRole(ctx, input.RoleName)
      const tags = mergeTags(role.tags, toTags(input.Tags), true, 'TagsPerRole')
      ctx.state.roles.put(role.name.toLowerCase(), { ...role, tags })
    })
  },
})
