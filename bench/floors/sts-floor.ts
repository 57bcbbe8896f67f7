/**
 * The floor of the emulator benchmark (bench/emulator/index.ts): a node:http server that does only
 * the work no STS emulator can skip, then answers a fixed XML body as long as the emulator's.
 *
 * - `verify`: reads the form body, takes `WebIdentityToken` and checks its RS256 signature against
 *   the issuer's public key (one node:crypto verify, where the emulator checks it: `verifyOn`,
 *   the libuv threadpool or the main thread); 403 when it does not verify.
 * - `sigv4`: checks the request's SigV4 signature: the canonical request from the signed headers
 *   and the body hash, one SHA-256 of it, one HMAC with the signing key kept per day; 403 when
 *   it does not match.
 *
 * No parameter validation, claims, trust policy, credentials, session store, decision log or
 * error table: what the emulator spends beyond this floor is its own work. Run as its own
 * process: `node --import tsx bench/floors/sts-floor.ts <config.json>`; prints `listening on URL`.
 */
import { createHash, createHmac, createPublicKey, verify, type JsonWebKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'

export interface StsFloorConfig {
  readonly mode: 'verify' | 'sigv4'
  /** verify: the issuer's public key. */
  readonly jwk?: JsonWebKey
  /** verify: where the signature is checked (as the emulator's `--verify-on`). */
  readonly verifyOn?: 'main' | 'pool'
  /** sigv4: the secret of the session the requests are signed with. */
  readonly secretAccessKey?: string
  /** sigv4: the Host the requests were signed for (the emulator's; they are sent here). */
  readonly signedHost?: string
  /** Length of the fixed answer, in bytes. */
  readonly bodyBytes: number
}

function fixedBody(bytes: number): Buffer {
  const open = '<R xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
  const close = '</R>'
  return Buffer.from(open + 'x'.repeat(Math.max(0, bytes - open.length - close.length)) + close)
}

/** The `WebIdentityToken` value of a form body (JWT characters need no URL decoding). */
function tokenOf(body: string): string {
  const at = body.indexOf('WebIdentityToken=')
  if (at < 0) return ''
  const start = at + 'WebIdentityToken='.length
  const end = body.indexOf('&', start)
  return body.slice(start, end < 0 ? body.length : end)
}

type Verdict = (ok: boolean) => void

function rs256Verifier(jwk: JsonWebKey, onPool: boolean): (token: string, then: Verdict) => void {
  const key = createPublicKey({ key: jwk, format: 'jwk' })
  return (token, then) => {
    const dot = token.lastIndexOf('.')
    if (dot < 0) {
      then(false)
      return
    }
    const signature = Buffer.from(token.slice(dot + 1), 'base64url')
    const data = Buffer.from(token.slice(0, dot))
    if (onPool) verify('sha256', data, key, signature, (error, ok) => then(error === null && ok))
    else then(verify('sha256', data, key, signature))
  }
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest()
}

function sigv4Verifier(
  secret: string,
  signedHost: string | undefined,
): (req: IncomingMessage, body: string) => boolean {
  const keys = new Map<string, Buffer>()
  return (req, body) => {
    const auth = req.headers.authorization ?? ''
    const m =
      /Credential=[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})/u.exec(
        auth,
      )
    if (m === null) return false
    const [, day = '', region = '', service = '', signed = '', signature = ''] = m
    const scope = `${day}/${region}/${service}/aws4_request`
    let key = keys.get(scope)
    if (key === undefined) {
      key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request')
      keys.set(scope, key)
    }
    const names = signed.split(';')
    const value = (n: string): string =>
      n === 'host' && signedHost !== undefined ? signedHost : String(req.headers[n] ?? '').trim()
    const headers = names.map((n) => `${n}:${value(n)}\n`).join('')
    const payload = createHash('sha256').update(body).digest('hex')
    const canonical = `POST\n/\n\n${headers}\n${signed}\n${payload}`
    const date = String(req.headers['x-amz-date'] ?? '')
    const toSign = `AWS4-HMAC-SHA256\n${date}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`
    return hmac(key, toSign).toString('hex') === signature
  }
}

function main(configFile: string): void {
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as StsFloorConfig
  const body = fixedBody(config.bodyBytes)
  const verifyToken =
    config.jwk === undefined ? undefined : rs256Verifier(config.jwk, config.verifyOn === 'pool')
  const verifySigned =
    config.secretAccessKey === undefined
      ? undefined
      : sigv4Verifier(config.secretAccessKey, config.signedHost)
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const answer = (ok: boolean): void => {
        res.writeHead(ok ? 200 : 403, { 'content-type': 'text/xml', 'content-length': body.length })
        res.end(body)
      }
      if (config.mode === 'sigv4') answer(verifySigned?.(req, text) === true)
      else if (verifyToken === undefined) answer(false)
      else verifyToken(tokenOf(text), answer)
    })
  })
  server.keepAliveTimeout = 72_000
  server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    if (address !== null && typeof address === 'object')
      process.stdout.write(`listening on http://127.0.0.1:${address.port}/\n`)
  })
}

const [configFile] = process.argv.slice(2)
if (configFile !== undefined) main(configFile)
