import { defineAction } from '../../action.js'

/** Who signed the request: an assumed-role session, or the admin keys (the account root). */
export const getCallerIdentity = defineAction({
  service: 'sts',
  name: 'GetCallerIdentity',
  auth: 'any',
  input: {},
  result: [
    ['UserId', 'string'],
    ['Account', 'string'],
    ['Arn', 'string'],
  ],
  handler(_input, ctx) {
    const caller = ctx.caller
    if (caller?.kind === 'session') {
      const s = caller.session
      return { UserId: `${s.roleId}:${s.sessionName}`, Account: s.accountId, Arn: s.assumedRoleArn }
    }
    const account = ctx.settings.accountId
    return { UserId: account, Account: account, Arn: `arn:aws:iam::${account}:root` }
  },
})
