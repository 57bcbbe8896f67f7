import { defineAction } from '../../action.js'
import { getProvider, members, removeTags } from '../../iam/common.js'

export const untagOpenIDConnectProvider = defineAction({
  service: 'iam',
  name: 'UntagOpenIDConnectProvider',
  auth: 'admin',
  input: { OpenIDConnectProviderArn: members.providerArn, TagKeys: members.tagKeys },
  handler(input, ctx) {
    ctx.state.transaction(() => {
      const p = getProvider(ctx, input.OpenIDConnectProviderArn)
      ctx.state.providers.put(p.arn, { ...p, tags: removeTags(p.tags, input.TagKeys, false) })
    })
  },
})
