/** Step 3 of docs/aws-behaviour.md §3: the RoleArn's structure (and no ProviderId for OIDC). */
import { awsMessages, invalidArnMessage } from '../errors.js'
import { fail, pass, type AwsStep } from '../step.js'

const ARN = /^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|):(.+)$/u

export const requestStep: AwsStep = {
  name: 'request',
  check({ request, facts }) {
    const arn = ARN.exec(request.roleArn)
    if (!arn) return fail('role-arn-invalid', 'ValidationError', invalidArnMessage(request.roleArn))
    facts.partition = arn[1] ?? 'aws'
    facts.roleAccount = arn[4] ?? ''
    if (request.providerId !== undefined)
      return fail('provider-id-set', 'InvalidParameterValue', awsMessages.providerIdForOidc)
    return pass(`RoleArn ${request.roleArn}, RoleSessionName ${request.roleSessionName}`)
  },
}
