import { defineAction } from '../../action.js'
import { AwsError } from '../../errors.js'
import { members } from '../../iam/common.js'

const PROVIDER_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):oidc-provider\/(.+)$/u

/** Idempotent, as the model documents: deleting a missing provider succeeds. */
export const deleteOpenIDConnectProvider = defineAction({
  service: 'iam',
  name: 'DeleteOpenIDConnectProvider',
  auth: 'admin',
  input: { OpenIDConnectProviderArn: members.providerArn },
  handler(input, ctx) {
    if (!PROVIDER_ARN.test(input.OpenIDConnectProviderArn))
      throw new AwsError(
        'InvalidInput',
        `Invalid OpenID Connect provider ARN: ${input.OpenIDConnectProviderArn}`,
      )
    ctx.state.providers.delete(input.OpenIDConnectProviderArn)
  },
})
