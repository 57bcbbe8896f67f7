import { defineAction } from '../../action.js'
import { getRole, members, page, tagShape } from '../../iam/common.js'

export const listRoleTags = defineAction({
  service: 'iam',
  name: 'ListRoleTags',
  auth: 'admin',
  input: { RoleName: members.roleName, Marker: members.marker, MaxItems: members.maxItems },
  result: [
    ['Tags', tagShape],
    ['IsTruncated', 'boolean'],
    ['Marker', 'string'],
  ],
  handler(input, ctx) {
    const role = getRole(ctx, input.RoleName)
    const result = page(role.tags, (t) => t.Key.toLowerCase(), input.Marker, input.MaxItems)
    return { Tags: result.items, IsTruncated: result.isTruncated, Marker: result.marker }
  },
})
