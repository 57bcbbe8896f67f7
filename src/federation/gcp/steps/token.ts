/**
 * Steps 5–8: the subject token is a compact JWS (trimmed unless strict), with a `kid` and an
 * `alg` of RS256 or ES256; its `iss` is the provider's issuer (trailing slash ignored by
 * default); its `aud` is an allowed audience, or one of the provider's own names when none is set.
 */
import { base64urlBytes, isBase64url } from '../../base64url.js'
import { readJwtSegments } from '../../jwt.js'
import { gcpMessages } from '../errors.js'
import type { GcpExchange } from '../exchange.js'
import { defaultAudiences } from '../names.js'
import { fail, pass, skipped, type GcpStep } from '../step.js'

export const ALGORITHMS = ['RS256', 'ES256'] as const

export const tokenStep: GcpStep = {
  name: 'token',
  check({ request, rules, facts }) {
    const raw = request.fields['subject_token'] ?? ''
    const token = rules.strictSubjectToken ? raw : raw.trim()
    const read = readJwtSegments(token)
    if (!read.ok)
      return fail('token-malformed', gcpMessages.malformed, `subject_token: ${read.reason}`)
    const { header, payload, signature } = read
    if (!isBase64url(signature) || signature === '')
      return fail(
        'token-malformed',
        gcpMessages.malformed,
        'subject_token: the signature is missing or not base64url',
      )
    const kid = header['kid']
    facts.token = token
    facts.claims = payload
    facts.jwt = {
      header,
      payload,
      alg: typeof header['alg'] === 'string' ? header['alg'] : '',
      kid: typeof kid === 'string' ? kid : undefined,
      signingInput: token.slice(0, token.lastIndexOf('.')),
      signature: base64urlBytes(signature),
    }
    if (typeof payload['iss'] === 'string') facts.iss = payload['iss']
    facts.aud = payload['aud']
    return pass(
      `subject token: iss ${JSON.stringify(payload['iss'])}, sub ${JSON.stringify(payload['sub'])}, aud ${JSON.stringify(payload['aud'])}`,
    )
  },
}

export const headerStep: GcpStep = {
  name: 'header',
  check({ facts }) {
    const jwt = facts.jwt
    if (jwt === undefined) return skipped('no readable subject token')
    if (typeof jwt.header['kid'] !== 'string' || jwt.header['kid'] === '')
      return fail('kid-missing', gcpMessages.kid, 'the token header has no kid')
    if (!(ALGORITHMS as readonly string[]).includes(jwt.alg))
      return fail(
        'alg-unsupported',
        gcpMessages.alg(jwt.alg || 'none'),
        `alg ${JSON.stringify(jwt.header['alg'])} is not RS256 or ES256`,
      )
    return pass(`${jwt.alg}, kid ${jwt.kid ?? ''}`)
  },
}

/** A claim as text in a message: strings as they are, anything else as JSON. */
function asText(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? '')
}

function strip(uri: string): string {
  return uri.replace(/\/+$/u, '')
}

export const issuerStep: GcpStep = {
  name: 'issuer',
  check({ facts, rules }) {
    const provider = facts.provider
    if (provider === undefined || facts.claims === undefined)
      return skipped('no readable subject token')
    const expected = provider.issuerUri
    const iss = facts.iss
    const same =
      iss !== undefined &&
      (rules.issuerSlashInsensitive ? strip(iss) === strip(expected) : iss === expected)
    const shown = `${strip(expected)}/`
    if (!same)
      return fail(
        'issuer-not-matched',
        gcpMessages.issuerMismatch(iss ?? asText(facts.claims['iss']), shown),
        `iss ${JSON.stringify(facts.claims['iss'] ?? null)} is not the provider's issuer ${JSON.stringify(expected)}${iss !== undefined && strip(iss) === strip(expected) ? ' (only a trailing slash differs)' : ''}`,
      )
    return pass(`iss ${iss} is the provider's issuer`)
  },
}

function audiences(aud: unknown, acceptArray: boolean): string[] | undefined {
  if (typeof aud === 'string') return [aud]
  if (acceptArray && Array.isArray(aud) && aud.every((a) => typeof a === 'string')) return aud
  return undefined
}

function expectedAudiences(ex: GcpExchange): readonly string[] {
  const { provider, ref } = ex.facts
  if (provider !== undefined && provider.allowedAudiences.length > 0)
    return provider.allowedAudiences
  return ref === undefined ? [] : defaultAudiences(ref)
}

export const audienceStep: GcpStep = {
  name: 'audience',
  check(ex) {
    const { facts, rules } = ex
    if (facts.provider === undefined || facts.claims === undefined)
      return skipped('no readable subject token')
    const expected = expectedAudiences(ex)
    const got = audiences(facts.aud, rules.acceptArrayAudience)
    const shownAud = Array.isArray(facts.aud) ? facts.aud.map(asText).join(', ') : asText(facts.aud)
    const allowed = facts.provider.allowedAudiences.length > 0
    const shownExpected = allowed ? expected.join(', ') : (expected[1] ?? '')
    const hit = got?.find((a) => expected.includes(a))
    if (hit === undefined)
      return fail(
        'audience-not-matched',
        gcpMessages.audienceMismatch(shownAud, shownExpected),
        `aud ${JSON.stringify(facts.aud ?? null)} is not ${allowed ? 'one of the allowed audiences' : "one of the provider's own names"} (${expected.map((e) => JSON.stringify(e)).join(', ')})${Array.isArray(facts.aud) && !rules.acceptArrayAudience ? '; an array aud is refused' : ''}`,
      )
    return pass(`aud ${hit} is ${allowed ? 'an allowed audience' : "the provider's own name"}`)
  },
}
