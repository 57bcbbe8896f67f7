import { defineAction } from '../../action.js'
import { AwsError } from '../../errors.js'
import { checkTags, members, providerUrl, tagShape, toTags } from '../../iam/common.js'
import { m } from '../../protocol/input.js'

export const createOpenIDConnectProvider = defineAction({
  service: 'iam',
  name: 'CreateOpenIDConnectProvider',
  auth: 'admin',
  input: {
    Url: m.string({ required: true, min: 1, max: 255 }),
    ClientIDList: m.stringList({ item: { min: 1, max: 255 } }),
    ThumbprintList: m.stringList({ item: members.thumbprint }),
    Tags: members.tags,
  },
  result: [
    ['OpenIDConnectProviderArn', 'string'],
    ['Tags', tagShape],
  ],
  handler(input, ctx) {
    const url = providerUrl(ctx, input.Url)
    const clientIds = [...new Set(input.ClientIDList ?? [])]
    if (clientIds.length > 100)
      throw new AwsError(
        'LimitExceeded',
        'Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100',
      )
    const thumbprints = input.ThumbprintList ?? []
    if (thumbprints.length > 5)
      throw new AwsError('InvalidInput', 'Thumbprint list must contain fewer than 5 entries.')
    const tags = toTags(input.Tags)
    checkTags(tags, false)
    const arn = `arn:aws:iam::${ctx.settings.accountId}:oidc-provider/${url}`
    return ctx.state.transaction(() => {
      if (ctx.state.providers.get(arn) !== undefined)
        throw new AwsError('EntityAlreadyExists', `Provider with url ${input.Url} already exists.`)
      if (ctx.state.providers.list().length >= 100)
        throw new AwsError(
          'LimitExceeded',
          'Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100',
        )
      const sorted = [...tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0))
      ctx.state.providers.put(arn, {
        arn,
        url,
        clientIds,
        thumbprints,
        tags: sorted,
        createDate: ctx.clock.now().toISOString(),
      })
      return { OpenIDConnectProviderArn: arn, Tags: sorted.length === 0 ? undefined : sorted }
    })
  },
})
