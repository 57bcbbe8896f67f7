/**
 * Steps 5–7: the client's federated credentials by issuer, then audience, then subject — exact,
 * case-sensitive, trailing slash significant. Flexible FICs match by their expression instead of
 * the subject. FICs written less than the propagation delay ago are not seen yet.
 */
import { expressionMatches, parseFicExpression } from '../expression.js'
import { azureMessages } from '../errors.js'
import type { AzureExchange } from '../exchange.js'
import type { Fic } from '../fic.js'
import { fail, pass, skipped, type AzureStep, type AzureVerdict } from '../step.js'

function visible(ex: AzureExchange): readonly Fic[] {
  const { facts, rules, env } = ex
  if (facts.visible !== undefined) return facts.visible
  const cutoff = env.nowMs - rules.propagationSeconds * 1000
  facts.visible = (facts.client?.fics ?? []).filter((f) => f.createdAtMs <= cutoff)
  return facts.visible
}

function subjectMatches(f: Fic, claims: Readonly<Record<string, unknown>>, sub: string): boolean {
  if (f.claimsMatchingExpression === null) return f.subject === sub
  const parsed = parseFicExpression(f.claimsMatchingExpression.value)
  return parsed.ok && expressionMatches(parsed.clauses, claims)
}

function fullMatch(ex: AzureExchange, fics: readonly Fic[]): Fic | undefined {
  const { iss, aud, sub, claims } = ex.facts
  return fics.find(
    (f) => f.issuer === iss && f.audiences[0] === aud && subjectMatches(f, claims ?? {}, sub ?? ''),
  )
}

/** A mismatch: the legacy text when asked, short 70021 when only an unpropagated FIC matches. */
function noMatch(ex: AzureExchange, verdict: AzureVerdict): AzureVerdict {
  const { facts, rules, env } = ex
  const pending = fullMatch(ex, facts.client?.fics ?? [])
  if (pending !== undefined) {
    const age = Math.max(0, Math.floor((env.nowMs - pending.createdAtMs) / 1000))
    return fail(
      'fic-not-propagated',
      70021,
      azureMessages.noMatchShort,
      `federated credential '${pending.name}' matches but was written ${age} s ago (propagation delay ${rules.propagationSeconds} s)`,
    )
  }
  if (!rules.legacyNoMatch || verdict.status !== 'fail') return verdict
  return fail(
    verdict.failure.reason,
    70021,
    azureMessages.noMatchLegacy(facts.iss ?? '', facts.sub ?? '', facts.aud ?? ''),
    verdict.detail,
  )
}

export const issuerStep: AzureStep = {
  name: 'issuer',
  check(ex) {
    const { iss } = ex.facts
    if (iss === undefined) return skipped('no readable assertion')
    const n = visible(ex).filter((f) => f.issuer === iss).length
    if (n === 0)
      return noMatch(
        ex,
        fail(
          'issuer-not-matched',
          700211,
          azureMessages.noIssuer(iss),
          `no federated credential has issuer ${JSON.stringify(iss)}`,
        ),
      )
    return pass(`${n} federated credential(s) with issuer ${JSON.stringify(iss)}`)
  },
}

export const audienceStep: AzureStep = {
  name: 'audience',
  check(ex) {
    const { iss, aud } = ex.facts
    if (iss === undefined || aud === undefined) return skipped('no readable assertion')
    const n = visible(ex).filter((f) => f.issuer === iss && f.audiences[0] === aud).length
    if (n === 0)
      return noMatch(
        ex,
        fail(
          'audience-not-matched',
          700212,
          azureMessages.noAudience(aud),
          `no federated credential with issuer ${JSON.stringify(iss)} has audience ${JSON.stringify(aud)}`,
        ),
      )
    return pass(`${n} federated credential(s) with audience ${JSON.stringify(aud)}`)
  },
}

export const subjectStep: AzureStep = {
  name: 'subject',
  check(ex) {
    const { facts } = ex
    const { iss, aud, sub } = facts
    if (iss === undefined || aud === undefined || sub === undefined)
      return skipped('no readable assertion')
    const fic = fullMatch(ex, visible(ex))
    if (fic !== undefined) {
      facts.fic = fic
      return pass(`federated credential '${fic.name}' matches (subject ${JSON.stringify(sub)})`)
    }
    const lower = sub.toLowerCase()
    const folded = visible(ex).find(
      (f) => f.issuer === iss && f.audiences[0] === aud && f.subject?.toLowerCase() === lower,
    )
    if (folded !== undefined)
      return noMatch(
        ex,
        fail(
          'subject-case-differs',
          7002138,
          azureMessages.subjectCase(sub),
          `federated credential '${folded.name}' has subject ${JSON.stringify(folded.subject)}: equal to ${JSON.stringify(sub)} only ignoring case`,
        ),
      )
    return noMatch(
      ex,
      fail(
        'subject-not-matched',
        700213,
        azureMessages.noSubject(sub),
        `no federated credential with issuer ${JSON.stringify(iss)} and audience ${JSON.stringify(aud)} has subject ${JSON.stringify(sub)}`,
      ),
    )
  },
}
