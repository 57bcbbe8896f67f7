import { defineAction } from '../../action.js'
import { getRole, members } from '../../iam/common.js'
import { m } from '../../protocol/input.js'

/** Managed policies cannot be attached in the emulator: the list is always empty. */
export const listAttachedRolePolicies = defineAction({
  service: 'iam',
  name: 'ListAttachedRolePolicies',
  auth: 'admin',
  input: {
    RoleName: members.roleName,
    PathPrefix: m.string({ min: 1, max: 512 }),
    Marker: members.marker,
    MaxItems: members.maxItems,
  },
  result: [
    [
      'AttachedPolicies',
      {
        list: {
          structure: [
            ['PolicyName', 'string'],
            ['PolicyArn', 'string'],
          ],
        },
      },
    ],
    ['IsTruncated', 'boolean'],
    ['Marker', 'string'],
  ],
  handler(input, ctx) {
    getRole(ctx, input.RoleName)
    return { AttachedPolicies: [], IsTruncated: false }
  },
})
