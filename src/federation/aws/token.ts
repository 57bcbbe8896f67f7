/** The token AWS accepts (docs/aws-behaviour.md §4): a compact JWS with one of these algorithms. */
import { decodeJwt, type DecodeResult } from '../jwt.js'

export const AWS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const
export type AwsAlgorithm = (typeof AWS_ALGORITHMS)[number]

export function decodeAwsToken(token: string): DecodeResult<AwsAlgorithm> {
  return decodeJwt(token, AWS_ALGORITHMS)
}

export function isAwsAlgorithm(alg: unknown): alg is AwsAlgorithm {
  return typeof alg === 'string' && (AWS_ALGORITHMS as readonly string[]).includes(alg)
}
