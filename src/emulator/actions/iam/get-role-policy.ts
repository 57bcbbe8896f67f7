import { defineAction } from '../../action.js'
import { AwsError } from '../../errors.js'
import { encodePolicy, getRole, members } from '../../iam/common.js'

export const getRolePolicy = defineAction({
  service: 'iam',
  name: 'GetRolePolicy',
  auth: 'admin',
  input: { RoleName: members.roleName, PolicyName: members.policyName },
  result: [
    ['RoleName', 'string'],
    ['PolicyName', 'string'],
    ['PolicyDocument', 'string'],
  ],
  handler(input, ctx) {
    const role = getRole(ctx, input.RoleName)
    const document = Object.hasOwn(role.inlinePolicies, input.PolicyName)
      ? role.inlinePolicies[input.PolicyName]
      : undefined
    if (document === undefined)
      throw new AwsError(
        'NoSuchEntity',
        `The role policy with name ${input.PolicyName} cannot be found.`,
      )
    return {
      RoleName: role.name,
      PolicyName: input.PolicyName,
      PolicyDocument: encodePolicy(document),
    }
  },
})
