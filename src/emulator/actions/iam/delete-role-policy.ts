import { defineAction } from '../../action.js'
import { AwsError } from '../../errors.js'
import { getRole, members } from '../../iam/common.js'

export const deleteRolePolicy = defineAction({
  service: 'iam',
  name: 'DeleteRolePolicy',
  auth: 'admin',
  input: { RoleName: members.roleName, PolicyName: members.policyName },
  handler(input, ctx) {
    ctx.state.transaction(() => {
      const role = getRole(ctx, input.RoleName)
      if (!Object.hasOwn(role.inlinePolicies, input.PolicyName))
        throw new AwsError(
          'NoSuchEntity',
          `The role policy with name ${input.PolicyName} cannot be found.`,
        )
      const policies = Object.fromEntries(
        Object.entries(role.inlinePolicies).filter(([name]) => name !== input.PolicyName),
      )
      ctx.state.roles.put(role.name.toLowerCase(), { ...role, inlinePolicies: policies })
    })
  },
})
