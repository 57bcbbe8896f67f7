import { defineAction } from '../../action.js'
import { newRoleId } from '../../credentials.js'
import { AwsError } from '../../errors.js'
import {
  checkTags,
  checkTrustPolicy,
  members,
  roleShape,
  roleView,
  toTags,
} from '../../iam/common.js'
import { m } from '../../protocol/input.js'

export const createRole = defineAction({
  service: 'iam',
  name: 'CreateRole',
  auth: 'admin',
  input: {
    Path: m.string({
      min: 1,
      max: 512,
      pattern: {
        re: /^(\u002F)$|^(\u002F[\u0021-\u007E]+\u002F)$/u,
        text: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
      },
    }),
    RoleName: members.roleName,
    AssumeRolePolicyDocument: members.policyDocument,
    Description: members.description,
    MaxSessionDuration: members.maxSessionDuration,
    PermissionsBoundary: m.string({ min: 20, max: 2048 }),
    Tags: members.tags,
  },
  result: [['Role', { structure: roleShape }]],
  handler(input, ctx) {
    checkTrustPolicy(ctx, input.AssumeRolePolicyDocument)
    const tags = toTags(input.Tags)
    checkTags(tags, true)
    if (
      input.PermissionsBoundary !== undefined &&
      !/^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\//u.test(input.PermissionsBoundary)
    )
      throw new AwsError('InvalidInput', `ARN ${input.PermissionsBoundary} is not valid.`)
    const path = input.Path ?? '/'
    return ctx.state.transaction(() => {
      const key = input.RoleName.toLowerCase()
      if (ctx.state.roles.get(key) !== undefined)
        throw new AwsError(
          'EntityAlreadyExists',
          `Role with name ${input.RoleName} already exists.`,
        )
      if (ctx.state.roles.list().length >= 1000)
        throw new AwsError('LimitExceeded', 'Cannot exceed quota for RolesPerAccount: 1000')
      const role = {
        name: input.RoleName,
        id: newRoleId(),
        path,
        arn: `arn:aws:iam::${ctx.settings.accountId}:role${path}${input.RoleName}`,
        trustPolicy: input.AssumeRolePolicyDocument,
        ...(input.Description === undefined ? {} : { description: input.Description }),
        maxSessionDuration: input.MaxSessionDuration ?? 3600,
        ...(input.PermissionsBoundary === undefined
          ? {}
          : { permissionsBoundary: input.PermissionsBoundary }),
        tags: [...tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0)),
        createDate: ctx.clock.now().toISOString(),
        inlinePolicies: {},
      }
      ctx.state.roles.put(key, role)
      return { Role: roleView(role, 'full') }
    })
  },
})
