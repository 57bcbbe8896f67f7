import { validateIdentityPolicy } from '../../../policy/index.js'
import { defineAction } from '../../action.js'
import { AwsError } from '../../errors.js'
import { getRole, members, nonWhitespaceLength } from '../../iam/common.js'

const ROLE_POLICY_QUOTA = 10240

export const putRolePolicy = defineAction({
  service: 'iam',
  name: 'PutRolePolicy',
  auth: 'admin',
  input: {
    RoleName: members.roleName,
    PolicyName: members.policyName,
    PolicyDocument: members.policyDocument,
  },
  handler(input, ctx) {
    const result = validateIdentityPolicy(input.PolicyDocument)
    if (!result.ok) throw new AwsError(result.code, result.message)
    ctx.state.transaction(() => {
      const role = getRole(ctx, input.RoleName)
      const policies = { ...role.inlinePolicies, [input.PolicyName]: input.PolicyDocument }
      const total = Object.values(policies).reduce((n, d) => n + nonWhitespaceLength(d), 0)
      if (total > ROLE_POLICY_QUOTA)
        throw new AwsError(
          'LimitExceeded',
          `Maximum policy size of ${ROLE_POLICY_QUOTA} bytes exceeded for role ${role.name}`,
        )
      ctx.state.roles.put(role.name.toLowerCase(), { ...role, inlinePolicies: policies })
    })
  },
})
