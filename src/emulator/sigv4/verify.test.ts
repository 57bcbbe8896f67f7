/**
 * verifySigV4 and the request's X-Amz-Date text: a date that prints as the header does is signed
 * with the header's own text; one whose fields roll over (day 32, second 60, year 0099) is judged
 * on the date it names, as before, and refuses a signature made over the literal text.
 */
import { randomBytes } from 'node:crypto'
import { Sha256 } from '@aws-crypto/sha256-js'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { describe, expect, it } from 'vitest'
import { AwsError } from '../errors.js'
import { sigv4Signature } from './signature.js'
import { verifySigV4, type IncomingSignedRequest } from './verify.js'

/** Made at test time: nothing here looks like a key that could be real. */
const CREDS = {
  accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
  secretAccessKey: randomBytes(30).toString('base64'),
}
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15'
const HOST = 'sts.example.test'

function options(now: Date) {
  return {
    now,
    service: 'sts',
    skewMs: 15 * 60_000,
    resolve: (id: string) =>
      id === CREDS.accessKeyId
        ? { secretAccessKey: CREDS.secretAccessKey, caller: 'me' }
        : undefined,
  }
}

function request(amzDate: string, authorization: string): IncomingSignedRequest {
  return {
    method: 'POST',
    path: '/',
    rawQuery: '',
    headers: {
      host: HOST,
      'content-type': 'application/x-www-form-urlencoded',
      'x-amz-date': amzDate,
      authorization,
    },
    body: BODY,
  }
}

/** A hand-rolled client that signs the literal X-Amz-Date text it sends. */
function signedLiterally(amzDate: string, instant: Date): IncomingSignedRequest {
  const signature = sigv4Signature({
    method: 'POST',
    path: '/',
    query: {},
    headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded' },
    body: BODY,
    ...CREDS,
    region: 'us-east-1',
    service: 'sts',
    signingDate: instant,
    longDate: amzDate,
    signableHeaders: new Set(),
  })
  const scope = `${amzDate.slice(0, 8)}/us-east-1/sts/aws4_request`
  return request(
    amzDate,
    `AWS4-HMAC-SHA256 Credential=${CREDS.accessKeyId}/${scope}, SignedHeaders=content-type;host;x-amz-date, Signature=${signature}`,
  )
}

const ROLLED_OVER = [
  { text: '20261232T000000Z', names: '2027-01-01T00:00:00.000Z' },
  { text: '20270101T235960Z', names: '2027-01-02T00:00:00.000Z' },
  { text: '20270229T120000Z', names: '2027-03-01T12:00:00.000Z' },
  { text: '00990101T000000Z', names: '1999-01-01T00:00:00.000Z' },
]

describe('verifySigV4 and the X-Amz-Date text', () => {
  it('verifies a request @smithy/signature-v4 signed (the header text is the date printed)', async () => {
    const at = new Date('2027-01-01T00:00:00Z')
    const signer = new SignatureV4({
      service: 'sts',
      region: 'us-east-1',
      sha256: Sha256,
      credentials: CREDS,
      applyChecksum: false,
    })
    const signed = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'https:',
        hostname: HOST,
        path: '/',
        headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded' },
        body: BODY,
      }),
      { signingDate: at },
    )
    const req = request(signed.headers['x-amz-date'] ?? '', signed.headers['authorization'] ?? '')
    expect(verifySigV4(req, options(at)).caller).toBe('me')
    expect(verifySigV4(signedLiterally('20270101T000000Z', at), options(at)).caller).toBe('me')
  })

  it.each(ROLLED_OVER)('refuses $text signed over its literal text', ({ text, names }) => {
    const instant = new Date(names)
    const req = signedLiterally(text, instant)
    let refused: unknown
    try {
      verifySigV4(req, options(instant))
    } catch (error) {
      refused = error
    }
    expect(refused).toBeInstanceOf(AwsError)
    expect((refused as AwsError).code).toBe('SignatureDoesNotMatch')
  })
})
