/**
 * A tiny OIDC issuer for tests, on a random loopback port.
 *
 * ```ts
 * const issuer = await startTestIssuer()            // RS256 key `k1`, iss http://127.0.0.1:<port>
 * const jwt = await issuer.mint({ sub: 'user-1' })    // aud defaults to sts.amazonaws.com
 * const es = await issuer.mint({}, { alg: 'ES256' })  // ES256 key created and published on demand
 * const bad = await issuer.mint({}, { wrongKey: true }) // same kid, unpublished key
 * await issuer.rotate()                               // new RS256 key `k2` signs, `k1` stays published
 * await issuer.close()
 * ```
 *
 * It serves `GET <path>/.well-known/openid-configuration` and `GET <path>/.well-known/jwks.json`.
 * `startTestIssuer({ tls: { key, cert } })` serves https instead. `issuer.behavior` changes how it answers (status codes, delay) and `issuer.fetches` counts the
 * requests it served, so tests can check caching and refetching.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose'
import { randomUUID } from 'node:crypto'
import { systemClock, type Clock } from '../../src/shared/clock.js'

export type TestIssuerAlg = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512' | 'PS256'

export interface TestIssuerOptions {
  /** Path after the origin, e.g. `/tenant` (default none). The issuer URL never ends with `/` unless `trailingSlash`. */
  readonly path?: string
  /** Issuer URL (and `iss`) ends with `/`, as Auth0's does. */
  readonly trailingSlash?: boolean
  /** Clock for `iat`/`exp`; default the system clock. */
  readonly clock?: Clock
  /** Default `aud` of minted tokens; default `sts.amazonaws.com`. */
  readonly audience?: string
  /** Serve https with this certificate (PEM; `cert` may hold the chain) instead of http. */
  readonly tls?: { readonly key: string; readonly cert: string }
}

export interface MintOptions {
  /** Signing algorithm; default RS256. A key for it is created and published on first use. */
  readonly alg?: TestIssuerAlg
  /** `kid` header to send instead of the signing key's own. */
  readonly kid?: string
  /** Omit the `kid` header. */
  readonly noKid?: boolean
  /** Lifetime in seconds from `iat` (default 600). Negative values mint expired tokens. */
  readonly expiresIn?: number
  /** Sign with a fresh key that is not published (the header keeps the published key's kid). */
  readonly wrongKey?: boolean
  /** Extra protected-header members. */
  readonly header?: Readonly<Record<string, unknown>>
}

export interface IssuerBehavior {
  /** HTTP status of the discovery document (200 = serve it). */
  discoveryStatus: number
  /** HTTP status of the JWKS (200 = serve it). */
  jwksStatus: number
  /** Milliseconds to wait before answering any request. */
  delayMs: number
}

export interface TestIssuer {
  /** The issuer URL, exactly as in `iss`, e.g. `http://127.0.0.1:40123`. */
  readonly url: string
  /** The issuer URL without its scheme (`127.0.0.1:40123`): provider URL and condition-key prefix. */
  readonly host: string
  /** Mints a signed token. `claims` override the defaults (iss, aud, sub, iat, exp, jti); a claim set to `undefined` is left out. */
  mint(claims?: Readonly<Record<string, unknown>>, options?: MintOptions): Promise<string>
  /** Creates a new key for `alg` (default RS256) that signs from now on; old keys stay published. Returns its kid. */
  rotate(alg?: TestIssuerAlg): Promise<string>
  /** Removes a key from the JWKS. */
  unpublish(kid: string): void
  /** The published JWKS. */
  jwks(): { keys: JWK[] }
  /** Requests served so far, by document. */
  readonly fetches: { discovery: number; jwks: number }
  readonly behavior: IssuerBehavior
  close(): Promise<void>
}

interface KeyEntry {
  readonly kid: string
  readonly alg: TestIssuerAlg
  readonly privateKey: CryptoKey
  readonly jwk: JWK
}

/** Starts an issuer on 127.0.0.1 with one RS256 key, `k1`. */
export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const clock = options.clock ?? systemClock
  const keys: KeyEntry[] = []
  const signing = new Map<TestIssuerAlg, KeyEntry>()
  const fetches = { discovery: 0, jwks: 0 }
  const behavior: IssuerBehavior = { discoveryStatus: 200, jwksStatus: 200, delayMs: 0 }
  let counter = 0
  let url = ''
  const path = (options.path ?? '').replace(/\/+$/u, '')

  async function addKey(alg: TestIssuerAlg): Promise<KeyEntry> {
    counter += 1
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
    const kid = `k${counter}`
    const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }
    const entry = { kid, alg, privateKey, jwk }
    keys.push(entry)
    signing.set(alg, entry)
    return entry
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const answer = (): void => {
      const reqPath = (req.url ?? '').split('?')[0]
      if (reqPath === `${path}/.well-known/openid-configuration`) {
        fetches.discovery += 1
        if (behavior.discoveryStatus !== 200) {
          res.writeHead(behavior.discoveryStatus).end()
          return
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            issuer: url,
            jwks_uri: `${url.replace(/\/$/u, '')}/.well-known/jwks.json`,
            response_types_supported: ['id_token'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: [...new Set(keys.map((k) => k.alg))],
          }),
        )
        return
      }
      if (reqPath === `${path}/.well-known/jwks.json`) {
        fetches.jwks += 1
        if (behavior.jwksStatus !== 200) {
          res.writeHead(behavior.jwksStatus).end()
          return
        }
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ keys: keys.map((k) => k.jwk) }))
        return
      }
      res.writeHead(404).end()
    }
    if (behavior.delayMs > 0) setTimeout(answer, behavior.delayMs)
    else answer()
  }
  const server: Server =
    options.tls === undefined ? createServer(handler) : createHttpsServer(options.tls, handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  url = `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}${path}${options.trailingSlash === true ? '/' : ''}`
  await addKey('RS256')

  return {
    url,
    host: url.replace(/^https?:\/\//u, ''),
    fetches,
    behavior,
    async mint(claims = {}, mintOptions = {}) {
      const alg = mintOptions.alg ?? 'RS256'
      const entry = signing.get(alg) ?? (await addKey(alg))
      const now = Math.floor(clock.now().getTime() / 1000)
      const base: Record<string, unknown> = {
        iss: url,
        aud: options.audience ?? 'sts.amazonaws.com',
        sub: 'user-123456',
        iat: now,
        exp: now + (mintOptions.expiresIn ?? 600),
        jti: randomUUID(),
      }
      const payload: Record<string, unknown> = {}
      for (const [k, v] of Object.entries({ ...base, ...claims }))
        if (v !== undefined) payload[k] = v
      const header: Record<string, unknown> = { alg, typ: 'JWT', ...mintOptions.header }
      if (mintOptions.noKid !== true) header['kid'] = mintOptions.kid ?? entry.kid
      let key = entry.privateKey
      if (mintOptions.wrongKey === true) key = (await generateKeyPair(alg)).privateKey
      return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key)
    },
    async rotate(alg = 'RS256') {
      return (await addKey(alg)).kid
    },
    unpublish(kid) {
      const i = keys.findIndex((k) => k.kid === kid)
      if (i >= 0) keys.splice(i, 1)
    },
    jwks: () => ({ keys: keys.map((k) => k.jwk) }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
