/** Step 5: the IAM OIDC provider for `iss`, in the role's account (docs/aws-behaviour.md §4, §5). */
import { awsMessages, noProviderMessage } from '../errors.js'
import { providerArnOf, providerUrlOfIssuer } from '../provider.js'
import { fail, pass, skipped, type AwsStep } from '../step.js'

export const providerStep: AwsStep = {
  name: 'provider',
  check({ facts, rules, world }) {
    if (facts.claims === undefined) return skipped('the token has no readable claims')
    const iss = facts.claims['iss']
    if (typeof iss !== 'string')
      return fail(
        'issuer-missing',
        'InvalidIdentityToken',
        awsMessages.missingIss,
        'the token has no string iss claim',
      )
    facts.iss = iss
    const url = providerUrlOfIssuer(iss, rules.allowHttpIssuers)
    if (url === undefined)
      return fail(
        'provider-not-found',
        'InvalidIdentityToken',
        noProviderMessage(iss),
        `iss ${iss} is not https (http is accepted only for loopback hosts or with --allow-http-issuers)`,
      )
    const account = facts.roleAccount ?? world.accountId
    const arn = providerArnOf(account, url, facts.partition)
    facts.providerUrl = url
    facts.providerArn = arn
    const provider = world.provider(arn)
    if (provider === undefined)
      return skipped(
        `not checked offline: AWS looks up ${arn} (give --role-arn and --endpoint-url to read it)`,
      )
    if (provider === null)
      return fail(
        'provider-not-found',
        'InvalidIdentityToken',
        noProviderMessage(iss),
        `no OIDC provider ${arn} in account ${account}`,
      )
    facts.provider = provider
    const clientIds = provider.clientIds
    return pass(`${provider.arn} (url ${provider.url})`, () => [
      `provider: ${provider.arn} (client IDs ${JSON.stringify(clientIds)})`,
    ])
  },
}
