import { defineAction } from '../../action.js'
import { getProvider, members, tagShape } from '../../iam/common.js'

export const getOpenIDConnectProvider = defineAction({
  service: 'iam',
  name: 'GetOpenIDConnectProvider',
  auth: 'admin',
  input: { OpenIDConnectProviderArn: members.providerArn },
  result: [
    ['Url', 'string'],
    ['ClientIDList', { list: 'string' }],
    ['ThumbprintList', { list: 'string' }],
    ['CreateDate', 'timestamp'],
    ['Tags', tagShape],
  ],
  handler(input, ctx) {
    const p = getProvider(ctx, input.OpenIDConnectProviderArn)
    return {
      Url: p.url,
      ClientIDList: p.clientIds,
      ThumbprintList: p.thumbprints,
      CreateDate: new Date(p.createDate),
      Tags: p.tags,
    }
  },
})
