/** Step 9a: the role exists in the account and its trust policy parses (else AccessDenied). */
import { parseRoleArn } from '../../../shared/arn.js'
import { awsMessages } from '../errors.js'
import { fail, pass, type AwsStep } from '../step.js'

export const roleStep: AwsStep = {
  name: 'role',
  check({ request, facts, world }) {
    const parsed = parseRoleArn(request.roleArn)
    const role = parsed === undefined ? undefined : world.role(parsed)
    if (role === undefined)
      return fail(
        'role-not-found',
        'AccessDenied',
        awsMessages.notAuthorized,
        `role ${request.roleArn} does not exist in account ${world.accountId}`,
      )
    facts.role = role
    if (role.trustPolicy === undefined)
      return fail(
        'trust-policy-unreadable',
        'AccessDenied',
        awsMessages.notAuthorized,
        `the trust policy of ${role.arn} does not parse`,
      )
    return pass(`${role.arn} (MaxSessionDuration ${role.maxSessionDuration})`)
  },
}
