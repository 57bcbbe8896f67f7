import { defineAction } from '../../action.js'
import { members, page, roleShape, roleView } from '../../iam/common.js'
import { m } from '../../protocol/input.js'

export const listRoles = defineAction({
  service: 'iam',
  name: 'ListRoles',
  auth: 'admin',
  input: {
    PathPrefix: m.string({
      min: 1,
      max: 512,
      pattern: { re: /^\u002F[\u0021-\u007F]*$/u, text: '\\u002F[\\u0021-\\u007F]*' },
    }),
    Marker: members.marker,
    MaxItems: members.maxItems,
  },
  result: [
    ['Roles', { list: { structure: roleShape } }],
    ['IsTruncated', 'boolean'],
    ['Marker', 'string'],
  ],
  handler(input, ctx) {
    const prefix = input.PathPrefix ?? '/'
    const roles = ctx.state.roles
      .list()
      .filter((r) => r.path.startsWith(prefix))
      .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1))
    const result = page(roles, (r) => r.name.toLowerCase(), input.Marker, input.MaxItems)
    return {
      Roles: result.items.map((r) => roleView(r, 'list')),
      IsTruncated: result.isTruncated,
      Marker: result.marker,
    }
  },
})
