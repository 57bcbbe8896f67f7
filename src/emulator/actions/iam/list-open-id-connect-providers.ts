import { defineAction } from '../../action.js'

export const listOpenIDConnectProviders = defineAction({
  service: 'iam',
  name: 'ListOpenIDConnectProviders',
  auth: 'admin',
  input: {},
  result: [['OpenIDConnectProviderList', { list: { structure: [['Arn', 'string']] } }]],
  handler(_input, ctx) {
    const arns = ctx.state.providers
      .list()
      .map((p) => p.arn)
      .sort()
    return { OpenIDConnectProviderList: arns.map((Arn) => ({ Arn })) }
  },
})
