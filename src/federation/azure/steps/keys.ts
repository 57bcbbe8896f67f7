/**
 * Step 8: discovery + JWKS of the issuer (fetched by the emulator), the key by `kid`, the
 * signature. Only RS256 (and, by default, ES256) are accepted. Offline the world answers
 * "skipped": `keyless explain` never checks a signature.
 */
import { azureMessages } from '../errors.js'
import type { AzureSignatureVerdict } from '../exchange.js'
import { fail, pass, skipped, type AzureStep, type AzureVerdict } from '../step.js'

function isHttps(iss: string): boolean {
  return iss.startsWith('https://')
}

function verdictOf(
  alg: string,
  kid: string | undefined,
  iss: string,
  verdict: AzureSignatureVerdict,
): AzureVerdict {
  if (verdict.status === 'skipped') return skipped(verdict.detail)
  if (verdict.status === 'pass')
    return pass(`${alg} signature verified with key ${verdict.kid ?? '(no kid)'}`)
  if (verdict.kind === 'unavailable')
    return fail('issuer-unreachable', 50166, azureMessages.oidcFailed, verdict.reason)
  if (verdict.kind === 'no-key')
    return fail('key-not-found', 7000272, azureMessages.noKey(kid ?? '', iss), verdict.reason)
  return fail('signature-invalid', 50013, azureMessages.badSignature, verdict.reason)
}

export const keysStep: AzureStep = {
  name: 'keys',
  check({ facts, rules, world }) {
    const { jwt, iss } = facts
    if (jwt === undefined || iss === undefined) return skipped('no readable assertion')
    if (rules.requireHttpsIssuers && !isHttps(iss))
      return fail(
        'issuer-unreachable',
        50166,
        azureMessages.oidcFailed,
        `issuer ${iss} is not https (--require-https-issuers)`,
      )
    const algs = rules.acceptEs256 ? ['RS256', 'ES256'] : ['RS256']
    if (!algs.includes(jwt.alg))
      return fail(
        'signature-invalid',
        50013,
        azureMessages.badSignature,
        `alg ${JSON.stringify(jwt.alg)} is not accepted (only ${algs.join(', ')})`,
      )
    const verdict = world.verifySignature(iss, jwt)
    return verdict instanceof Promise
      ? verdict.then((v) => verdictOf(jwt.alg, jwt.kid, iss, v))
      : verdictOf(jwt.alg, jwt.kid, iss, verdict)
  },
}
