import { defineAction } from '../../action.js'
import { checkTrustPolicy, getRole, members } from '../../iam/common.js'

export const updateAssumeRolePolicy = defineAction({
  service: 'iam',
  name: 'UpdateAssumeRolePolicy',
  auth: 'admin',
  input: { RoleName: members.roleName, PolicyDocument: members.policyDocument },
  handler(input, ctx) {
    ctx.state.transaction(() => {
      const role = getRole(ctx, input.RoleName)
      checkTrustPolicy(ctx, input.PolicyDocument)
      ctx.state.roles.put(role.name.toLowerCase(), { ...role, trustPolicy: input.PolicyDocument })
    })
  },
})
