/**
 * The issuers the attack corpus talks to: one loopback HTTP server hosting several issuers by
 * path (`http://127.0.0.1:<port>/<name>`), an honest one (`good`) and hostile ones (slow,
 * garbage, huge, redirecting…), each described as data. The keys are the corpus's own, so a case
 * can sign any bytes it likes (raw headers, duplicate members, HMAC with the public key).
 */
import {
  createHmac,
  generateKeyPairSync,
  sign as cryptoSign,
  constants,
  type KeyObject,
} from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface BodyContext {
  /** The issuer URL (`<origin>/<name>`). */
  readonly base: string
  readonly origin: string
  readonly keys: CorpusKeys
}

/** One answer of an issuer endpoint. */
export interface EndpointAnswer {
  readonly status?: number
  /** Body; default the honest document. */
  readonly body?: string | ((at: BodyContext) => string)
  readonly contentType?: string
  readonly headers?: Readonly<Record<string, string>>
  /** Wait before answering. */
  readonly delayMs?: number
  /** Send headers at once, then one byte every `trickleMs` (never finishing in time). */
  readonly trickleMs?: number
  /** Close the connection without answering. */
  readonly destroy?: boolean
  /** Stream this many bytes of JSON-looking filler. */
  readonly streamBytes?: number
}

export interface IssuerBehaviour {
  readonly discovery?: EndpointAnswer
  readonly jwks?: EndpointAnswer
}

export const KEY_NAMES = [
  'rsa1',
  'rsa2',
  'ec256',
  'ec384',
  'ec521',
  'attacker-rsa',
  'attacker-ec',
] as const
export type KeyName = (typeof KEY_NAMES)[number]

interface CorpusKey {
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
  readonly jwk: Record<string, unknown>
}

/** Keys published by honest issuers (the attacker's are not). */
export const PUBLISHED: readonly KeyName[] = ['rsa1', 'rsa2', 'ec256', 'ec384', 'ec521']

function makeKey(name: KeyName): CorpusKey {
  const pair = name.includes('rsa')
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', {
        namedCurve: { ec256: 'P-256', ec384: 'P-384', ec521: 'P-521', 'attacker-ec': 'P-256' }[
          name as 'ec256'
        ],
      })
  const jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid: name, use: 'sig' }
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, jwk }
}

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' }

export class CorpusKeys {
  readonly #keys = new Map<KeyName, CorpusKey>()

  constructor() {
    for (const name of KEY_NAMES) this.#keys.set(name, makeKey(name))
  }

  jwk(name: KeyName): Record<string, unknown> {
    return this.#keys.get(name)!.jwk
  }

  jwks(names: readonly KeyName[] = PUBLISHED): { keys: Array<Record<string, unknown>> } {
    return { keys: names.map((n) => this.jwk(n)) }
  }

  publicPem(name: KeyName): string {
    return this.#keys.get(name)!.publicKey.export({ type: 'spki', format: 'pem' }).toString()
  }

  publicDer(name: KeyName): Buffer {
    return this.#keys.get(name)!.publicKey.export({ type: 'spki', format: 'der' })
  }

  /** Signs `input` as `alg` says with key `name` (RS*, PS*, ES* in JOSE form, ES* in DER with `der`). */
  sign(alg: string, name: KeyName, input: string, options: { der?: boolean } = {}): Buffer {
    const key = this.#keys.get(name)!.privateKey
    const hash = HASH[alg.slice(2)] ?? 'sha256'
    const data = Buffer.from(input)
    if (alg.startsWith('ES'))
      return cryptoSign(hash, data, {
        key,
        dsaEncoding: options.der === true ? 'der' : 'ieee-p1363',
      })
    if (alg.startsWith('PS'))
      return cryptoSign(hash, data, {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      })
    return cryptoSign(hash, data, key)
  }

  /** HMAC with a secret an attacker knows (the public key in some encoding). */
  static hmac(alg: string, secret: string | Buffer, input: string): Buffer {
    return createHmac(HASH[alg.slice(2)] ?? 'sha256', secret)
      .update(input)
      .digest()
  }
}

export interface CorpusIssuers {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  url(name: string): string
  close(): Promise<void>
}

function honestDiscovery(base: string): string {
  return JSON.stringify({
    issuer: base,
    jwks_uri: `${base}/.well-known/jwks.json`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256'],
  })
}

function answer(res: ServerResponse, a: EndpointAnswer, honest: string, at: BodyContext): void {
  if (a.destroy === true) {
    res.socket?.destroy()
    return
  }
  const headers = { 'content-type': a.contentType ?? 'application/json', ...a.headers }
  if (a.trickleMs !== undefined) {
    res.writeHead(a.status ?? 200, headers)
    res.write('{')
    const timer = setInterval(() => res.write(' '), a.trickleMs)
    res.on('close', () => clearInterval(timer))
    return
  }
  if (a.streamBytes !== undefined) {
    res.writeHead(a.status ?? 200, headers)
    const chunk = Buffer.alloc(64 * 1024, 0x20)
    let sent = 0
    const pump = (): void => {
      while (sent < a.streamBytes!) {
        sent += chunk.length
        if (!res.write(chunk)) {
          res.once('drain', pump)
          return
        }
      }
      res.end()
    }
    res.write('{"keys":[')
    pump()
    return
  }
  const body = typeof a.body === 'function' ? a.body(at) : (a.body ?? honest)
  res.writeHead(a.status ?? 200, headers).end(body)
}

/** Starts the issuers; `behaviours` by name (`good` is added, honest). */
export async function startCorpusIssuers(
  keys: CorpusKeys,
  behaviours: Readonly<Record<string, IssuerBehaviour>>,
): Promise<CorpusIssuers> {
  let origin = ''
  const sockets = new Set<Socket>()
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '').split('?')[0] ?? ''
    const m = /^\/([\w-]+)\/\.well-known\/(openid-configuration|jwks\.json)$/u.exec(path)
    const name = m?.[1] ?? ''
    const behaviour = name === 'good' ? {} : behaviours[name]
    if (m === null || behaviour === undefined) {
      res.writeHead(404).end()
      return
    }
    const base = `${origin}/${name}`
    const isDiscovery = m[2] === 'openid-configuration'
    const a = (isDiscovery ? behaviour.discovery : behaviour.jwks) ?? {}
    const honest = isDiscovery ? honestDiscovery(base) : JSON.stringify(keys.jwks())
    const go = (): void => answer(res, a, honest, { base, origin, keys })
    if (a.delayMs !== undefined) {
      const timer = setTimeout(go, a.delayMs)
      res.on('close', () => clearTimeout(timer))
    } else go()
  }
  const server: Server = createServer(handler)
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    url: (name) => `${origin}/${name}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
