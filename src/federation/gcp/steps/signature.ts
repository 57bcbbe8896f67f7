/**
 * Step 9: the signature, with the provider's `jwksJson` when it has one (nothing fetched), else
 * the issuer's discovery document and JWKS. Skipped offline (`keyless explain`).
 */
import { gcpMessages } from '../errors.js'
import { fail, pass, skipped, type GcpStep } from '../step.js'

export const signatureStep: GcpStep = {
  name: 'signature',
  async check({ facts, rules, world }) {
    const { jwt, provider } = facts
    if (jwt === undefined || provider === undefined) return skipped('no readable subject token')
    if (world.verifySignature === undefined) return skipped('signature not checked offline')
    if (
      rules.requireHttpsIssuers &&
      provider.jwks === undefined &&
      !provider.issuerUri.startsWith('https://')
    )
      return fail(
        'issuer-unreachable',
        gcpMessages.issuerUnreachable,
        `issuer ${provider.issuerUri} is not https (--require-https-issuers)`,
      )
    const verdict = await world.verifySignature(provider, jwt)
    if (verdict.status === 'pass')
      return pass(`${jwt.alg} signature verified with key ${verdict.kid ?? ''} (${verdict.source})`)
    if (verdict.kind === 'unavailable')
      return fail('issuer-unreachable', gcpMessages.issuerUnreachable, verdict.reason)
    if (verdict.kind === 'no-key')
      return fail('key-not-found', gcpMessages.noKey(jwt.kid ?? ''), verdict.reason)
    return fail('signature-invalid', gcpMessages.signature, verdict.reason)
  },
}
