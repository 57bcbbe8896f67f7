/** Step 7: the issuer's keys and the signature (online: fetched by the emulator; offline: skipped). */
import { awsMessages } from '../errors.js'
import type { SignatureVerdict } from '../exchange.js'
import { fail, pass, skipped, type AwsStep, type AwsVerdict } from '../step.js'

export const OFFLINE_SIGNATURE =
  'not checked: explain works offline on the claims (STS verifies it against the issuer JWKS)'

function verdictOf(alg: string, verdict: SignatureVerdict): AwsVerdict {
  if (verdict.status === 'skipped') return skipped(verdict.detail)
  if (verdict.status === 'fail')
    return verdict.kind === 'no-key'
      ? fail('keys-unavailable', 'InvalidIdentityToken', awsMessages.noKey, verdict.reason)
      : fail('signature-invalid', 'InvalidIdentityToken', awsMessages.invalidToken, verdict.reason)
  const kid = verdict.kid
  return pass(`${alg} verified with key ${kid ?? '(no kid)'}`, () => [
    `signature: ${alg} verified with key ${kid ?? '(no kid)'}`,
  ])
}

export const signatureStep: AwsStep = {
  name: 'signature',
  check({ facts, world }) {
    const { jwt, iss, provider } = facts
    if (jwt === undefined || iss === undefined || provider === undefined)
      return skipped(OFFLINE_SIGNATURE)
    const verdict = world.verifySignature(iss, jwt, provider)
    return verdict instanceof Promise
      ? verdict.then((v) => verdictOf(jwt.alg, v))
      : verdictOf(jwt.alg, verdict)
  },
}
