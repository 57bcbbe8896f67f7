import { defineAction } from '../../action.js'
import { getProvider, members, mergeTags, toTags } from '../../iam/common.js'

export const tagOpenIDConnectProvider = defineAction({
  service: 'iam',
  name: 'TagOpenIDConnectProvider',
  auth: 'admin',
  input: {
    OpenIDConnectProviderArn: members.providerArn,
    Tags: { ...members.tags, required: true },
  },
  handler(input, ctx) {
    ctx.state.transaction(() => {
      const p = getProvider(ctx, input.OpenIDConnectProviderArn)
      const tags = mergeTags(p.tags, toTags(input.Tags), false, 'TagsPerOpenIdConnectProvider')
      ctx.state.providers.put(p.arn, { ...p, tags })
    })
  },
})
