/**
 * Step 8: the time claims (docs/aws-behaviour.md §4): integers, `exp` in the future (no skew),
 * `nbf` not beyond the leeway, and optionally a maximum age from `iat`.
 */
import { durationWords } from '../../words.js'
import { awsMessages, expiredMessage, tooOldMessage } from '../errors.js'
import { fail, pass, skipped, type AwsStep, type AwsVerdict } from '../step.js'

function invalid(detail: string): AwsVerdict {
  return fail('token-times-invalid', 'InvalidIdentityToken', awsMessages.invalidToken, detail)
}

export const expiryStep: AwsStep = {
  name: 'expiry',
  check({ facts, rules, env }) {
    const claims = facts.claims
    if (claims === undefined) return skipped('the token has no readable claims')
    const now = Math.floor(env.now.getTime() / 1000)
    const exp = claims['exp']
    if (exp === undefined) return invalid('the token has no exp claim')
    for (const name of ['exp', 'iat', 'nbf'] as const) {
      const v = claims[name]
      if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v)))
        return invalid(`${name} is not an integer number of seconds`)
    }
    if (typeof exp !== 'number') return invalid('the token has no exp claim')
    if (now >= exp)
      return fail(
        'token-expired',
        'ExpiredTokenException',
        expiredMessage(now, exp, rules.expiredMessageStyle),
        `exp ${exp} is not after now ${now} (expired ${durationWords(now - exp)} ago)`,
      )
    const nbf = claims['nbf']
    if (typeof nbf === 'number' && nbf > now + rules.nbfLeewaySeconds)
      return invalid(`nbf ${nbf} is more than ${rules.nbfLeewaySeconds} s in the future`)
    const iat = claims['iat']
    if (
      rules.maxTokenAgeSeconds > 0 &&
      typeof iat === 'number' &&
      now - iat > rules.maxTokenAgeSeconds
    )
      return fail(
        'token-too-old',
        'ExpiredTokenException',
        tooOldMessage(now - iat),
        `iat ${iat} is older than ${rules.maxTokenAgeSeconds} s`,
      )
    return pass(`expires in ${durationWords(exp - now)}`)
  },
}
