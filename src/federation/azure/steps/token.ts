/** Step 4: the assertion is a compact JWS with iss, sub, aud; and not one of Entra's own. */
import { base64urlBytes, isBase64url } from '../../base64url.js'
import { readJwtSegments } from '../../jwt.js'
import { azureMessages } from '../errors.js'
import { fail, pass, type AzureStep } from '../step.js'

function audOf(aud: unknown): string | undefined {
  if (typeof aud === 'string') return aud
  if (Array.isArray(aud) && aud.length === 1 && typeof aud[0] === 'string') return aud[0]
  return undefined
}

export const tokenStep: AzureStep = {
  name: 'token',
  check({ request, rules, world, facts }) {
    const raw = request.form['client_assertion'] ?? ''
    const token = rules.strictAssertion ? raw : raw.trim()
    const read = readJwtSegments(token)
    const malformed = (why: string) =>
      fail('token-malformed', 50027, azureMessages.malformed, `malformed client_assertion: ${why}`)
    if (!read.ok) return malformed(read.reason)
    const { header, payload, signature } = read
    const iss = payload['iss']
    const sub = payload['sub']
    const aud = audOf(payload['aud'])
    facts.claims = payload
    if (typeof iss !== 'string' || typeof sub !== 'string' || aud === undefined)
      return malformed('iss, sub and a single aud must be strings')
    const kid = header['kid']
    if (kid !== undefined && typeof kid !== 'string') return malformed('kid is not a string')
    const dot = token.lastIndexOf('.')
    facts.jwt = {
      header,
      payload,
      alg: typeof header['alg'] === 'string' ? header['alg'] : '',
      kid,
      signingInput: token.slice(0, dot),
      signature: isBase64url(signature) ? base64urlBytes(signature) : new Uint8Array(),
    }
    facts.iss = iss
    facts.sub = sub
    facts.aud = aud
    if (world.ownIssuers.includes(iss))
      return fail(
        'token-aad-issued',
        700222,
        azureMessages.aadIssued,
        `iss ${iss} is this directory's own issuer`,
      )
    return pass(
      `assertion: iss ${JSON.stringify(iss)}, sub ${JSON.stringify(sub)}, aud ${JSON.stringify(aud)}`,
    )
  },
}
