/**
 * Step 10: `exp` in the future (no allowance unless --clock-skew-seconds), `iat` present, not in
 * the future and at most 24 h old ("only acceptable within a time window of at most 24 hours").
 */
import { gcpMessages } from '../errors.js'
import { fail, pass, skipped, type GcpStep } from '../step.js'
import { durationWords } from '../../words.js'

function seconds(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : undefined
}

export const timesStep: GcpStep = {
  name: 'times',
  check({ facts, rules, env }) {
    const claims = facts.claims
    if (claims === undefined) return skipped('no readable subject token')
    const now = Math.floor(env.nowMs / 1000)
    const skew = rules.clockSkewSeconds
    const exp = seconds(claims['exp'])
    if (exp === undefined)
      return fail('token-malformed', gcpMessages.malformed, 'the token has no numeric exp')
    if (now >= exp + skew)
      return fail(
        'token-expired',
        gcpMessages.expired(exp),
        `exp ${exp} is ${durationWords(now - exp)} before now (${now})`,
      )
    const iat = seconds(claims['iat'])
    if (iat === undefined)
      return fail('token-malformed', gcpMessages.malformed, 'the token has no numeric iat')
    if (iat > now + skew)
      return fail(
        'token-from-future',
        gcpMessages.future(iat),
        `iat ${iat} is ${durationWords(iat - now)} after now (${now})`,
      )
    if (now - iat > rules.maxTokenAgeSeconds)
      return fail(
        'token-stale',
        gcpMessages.stale(iat),
        `iat ${iat} is ${durationWords(now - iat)} old, over ${durationWords(rules.maxTokenAgeSeconds)}`,
      )
    return pass(`issued ${durationWords(now - iat)} ago, expires in ${durationWords(exp - now)}`)
  },
}
