import { defineAction } from '../../action.js'
import { AwsError } from '../../errors.js'
import { getProvider, members } from '../../iam/common.js'

export const addClientIDToOpenIDConnectProvider = defineAction({
  service: 'iam',
  name: 'AddClientIDToOpenIDConnectProvider',
  auth: 'admin',
  input: { OpenIDConnectProviderArn: members.providerArn, ClientID: members.clientId },
  handler(input, ctx) {
    ctx.state.transaction(() => {
      const p = getProvider(ctx, input.OpenIDConnectProviderArn)
      if (p.clientIds.includes(input.ClientID)) return
      if (p.clientIds.length >= 100)
        throw new AwsError(
          'LimitExceeded',
          'Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100',
        )
      ctx.state.providers.put(p.arn, { ...p, clientIds: [...p.clientIds, input.ClientID] })
    })
  },
})
