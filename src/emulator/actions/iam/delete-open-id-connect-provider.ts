import { isProviderArn } from '../../../federation/aws/provider.js'
import { defineAction } from '../../action.js'
import { AwsError } from '../../errors.js'
import { members } from '../../iam/common.js'

/** Idempotent, as the model documents: deleting a missing provider succeeds. */
export const deleteOpenIDConnectProvider = defineAction({
  service: 'iam',
  name: 'DeleteOpenIDConnectProvider',
  auth: 'admin',
  input: { OpenIDConnectProviderArn: members.providerArn },
  handler(input, ctx) {
    if (!isProviderArn(input.OpenIDConnectProviderArn))
      throw new AwsError(
        'InvalidInput',
        `Invalid OpenID Connect provider ARN: ${input.OpenIDConnectProviderArn}`,
      )
    ctx.state.providers.delete(input.OpenIDConnectProviderArn)
  },
})
