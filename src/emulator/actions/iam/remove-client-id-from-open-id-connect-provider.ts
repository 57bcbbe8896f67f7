import { defineAction } from '../../action.js'
import { getProvider, members } from '../../iam/common.js'

export const removeClientIDFromOpenIDConnectProvider = defineAction({
  service: 'iam',
  name: 'RemoveClientIDFromOpenIDConnectProvider',
  auth: 'admin',
  input: { OpenIDConnectProviderArn: members.providerArn, ClientID: members.clientId },
  handler(input, ctx) {
    ctx.state.transaction(() => {
      const p = getProvider(ctx, input.OpenIDConnectProviderArn)
      if (!p.clientIds.includes(input.ClientID)) return
      ctx.state.providers.put(p.arn, {
        ...p,
        clientIds: p.clientIds.filter((c) => c !== input.ClientID),
      })
    })
  },
})
