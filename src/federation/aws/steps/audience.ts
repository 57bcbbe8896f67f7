/**
 * Step 6: `aud` among the provider's client IDs (docs/aws-behaviour.md §4). For an array `aud`,
 * `azp` when it is registered, else the first registered element, is the audience.
 */
import { awsMessages } from '../errors.js'
import { fail, pass, skipped, type AwsStep } from '../step.js'

function audValues(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud]
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : []
}

function shown(values: readonly string[]): string {
  return values.map((a) => JSON.stringify(a)).join(', ')
}

export const audienceStep: AwsStep = {
  name: 'audience',
  check({ facts }) {
    const claims = facts.claims
    if (claims === undefined) return skipped('the token has no readable claims')
    const aud = claims['aud']
    if (aud === undefined)
      return fail(
        'audience-missing',
        'InvalidIdentityToken',
        awsMessages.missingAud,
        'the token has no aud claim',
      )
    const values = audValues(aud)
    const provider = facts.provider
    // Offline the trust policy sees `aud` (or its first element), as the policy engine defaults.
    if (provider === undefined)
      return skipped(`aud ${shown(values)}: the provider's client IDs are not known offline`)
    const registered = values.filter((a) => provider.clientIds.includes(a))
    const azp = claims['azp']
    const audience =
      typeof aud === 'string'
        ? registered[0]
        : typeof azp === 'string' && registered.includes(azp)
          ? azp
          : registered[0]
    if (audience === undefined)
      return fail(
        'audience-not-registered',
        'InvalidIdentityToken',
        awsMessages.incorrectAudience,
        `aud ${JSON.stringify(aud)} is not among the provider's client IDs ${JSON.stringify(provider.clientIds)}`,
      )
    facts.audience = audience
    return pass(`aud "${audience}" is one of the provider's client IDs`)
  },
}
