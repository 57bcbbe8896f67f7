/** Steps 9–10: lifetime at most 25 h from `iat` (missing = 0), then nbf/exp against now. */
import { azureMessages, MAX_ASSERTION_LIFETIME } from '../errors.js'
import { fail, pass, skipped, type AzureStep } from '../step.js'

function seconds(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : undefined
}

export const lifetimeStep: AzureStep = {
  name: 'lifetime',
  check({ facts }) {
    const claims = facts.claims
    if (claims === undefined) return skipped('no readable assertion')
    const iat = seconds(claims['iat']) ?? 0
    const exp = seconds(claims['exp']) ?? 0
    if (exp - iat > MAX_ASSERTION_LIFETIME)
      return fail(
        'lifetime-too-long',
        70023,
        azureMessages.lifetime(iat, exp),
        `exp − iat = ${exp - iat} s is over ${MAX_ASSERTION_LIFETIME} s${claims['iat'] === undefined ? ' (no iat: counted as 0)' : ''}`,
      )
    return pass(`lifetime ${exp - iat} s`)
  },
}

export const timeRangeStep: AzureStep = {
  name: 'time-range',
  check({ facts, rules, env }) {
    const claims = facts.claims
    if (claims === undefined) return skipped('no readable assertion')
    const exp = seconds(claims['exp']) ?? 0
    const nbf = seconds(claims['nbf']) ?? 0
    const now = env.nowMs
    const skew = rules.clockSkewSeconds * 1000
    const out = now >= exp * 1000 + skew || nbf * 1000 > now + skew
    if (out)
      return fail(
        'token-not-in-time-range',
        700024,
        azureMessages.timeRange(now, nbf * 1000, exp * 1000),
        now >= exp * 1000 + skew
          ? `exp ${exp} is not after now (${Math.floor(now / 1000)})`
          : `nbf ${nbf} is after now (${Math.floor(now / 1000)})`,
      )
    return pass(`valid until ${exp}`)
  },
}

export const scopeStep: AzureStep = {
  name: 'scope',
  check({ request, facts }) {
    const scope = request.form['scope']
    if (scope === undefined || scope === '') {
      const resource = request.form['resource'] ?? ''
      facts.resource = resource
      return pass(`resource ${resource}`)
    }
    const parts = scope
      .trim()
      .split(/\s+/u)
      .filter((s) => s !== 'offline_access' && s !== 'openid' && s !== 'profile')
    const one = parts.length === 1 ? (parts[0] ?? '') : ''
    if (!one.endsWith('/.default') || one === '/.default')
      return fail(
        'scope-invalid',
        70011,
        azureMessages.badScope(scope),
        `scope ${JSON.stringify(scope)} is not one resource followed by /.default`,
      )
    facts.scope = one
    facts.resource = one.slice(0, -'/.default'.length)
    return pass(`scope ${one}`)
  },
}
