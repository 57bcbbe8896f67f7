import { defineAction } from '../../action.js'
import { AwsError } from '../../errors.js'
import { getProvider, members } from '../../iam/common.js'
import { m } from '../../protocol/input.js'

/** Replaces the whole thumbprint list. */
export const updateOpenIDConnectProviderThumbprint = defineAction({
  service: 'iam',
  name: 'UpdateOpenIDConnectProviderThumbprint',
  auth: 'admin',
  input: {
    OpenIDConnectProviderArn: members.providerArn,
    ThumbprintList: m.stringList({ required: true, item: members.thumbprint }),
  },
  handler(input, ctx) {
    if (input.ThumbprintList.length > 5)
      throw new AwsError('InvalidInput', 'Thumbprint list must contain fewer than 5 entries.')
    ctx.state.transaction(() => {
      const p = getProvider(ctx, input.OpenIDConnectProviderArn)
      ctx.state.providers.put(p.arn, { ...p, thumbprints: [...input.ThumbprintList] })
    })
  },
})
