import { defineAction } from '../../action.js'
import { getProvider, members, page, tagShape } from '../../iam/common.js'

export const listOpenIDConnectProviderTags = defineAction({
  service: 'iam',
  name: 'ListOpenIDConnectProviderTags',
  auth: 'admin',
  input: {
    OpenIDConnectProviderArn: members.providerArn,
    Marker: members.marker,
    MaxItems: members.maxItems,
  },
  result: [
    ['Tags', tagShape],
    ['IsTruncated', 'boolean'],
    ['Marker', 'string'],
  ],
  handler(input, ctx) {
    const p = getProvider(ctx, input.OpenIDConnectProviderArn)
    const result = page(p.tags, (t) => t.Key, input.Marker, input.MaxItems)
    return { Tags: result.items, IsTruncated: result.isTruncated, Marker: result.marker }
  },
})
