/** Step 4: a compact JWS AWS accepts (docs/aws-behaviour.md §4); nothing verified yet. */
import { readJwtSegments } from '../../jwt.js'
import { awsMessages } from '../errors.js'
import { fail, pass, type AwsStep } from '../step.js'
import { decodeAwsToken } from '../token.js'

export const tokenStep: AwsStep = {
  name: 'token',
  check({ request, facts }) {
    const decoded = decodeAwsToken(request.webIdentityToken)
    if (!decoded.ok) {
      // Later steps still explain what they can from the claims (offline).
      const read = readJwtSegments(request.webIdentityToken)
      if (read.ok) facts.claims = read.payload
      return fail(
        'token-malformed',
        'InvalidIdentityToken',
        awsMessages.invalidToken,
        `malformed token: ${decoded.reason}`,
      )
    }
    const jwt = decoded.jwt
    facts.jwt = jwt
    facts.claims = jwt.payload
    // Rendered only when the decision log is read; keeps the few values it prints, not the token.
    const { alg, kid } = jwt
    const { iss, sub, aud } = jwt.payload
    return pass(`signed JWT, alg ${alg}`, () => [
      `token: alg ${alg}, kid ${kid ?? '(none)'}, iss ${JSON.stringify(iss)}, sub ${JSON.stringify(sub)}, aud ${JSON.stringify(aud)}`,
    ])
  },
}
