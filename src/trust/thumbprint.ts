/**
 * `computeThumbprint`: the value AWS asks for when an OIDC provider is created
 * (docs/aws-behaviour.md §16). Read the issuer's discovery document, take the host of its
 * `jwks_uri`, open TLS to it and take the last certificate of the chain that host serves (the top
 * intermediate CA); the thumbprint is the SHA-1 of that certificate's DER, 40 hex characters.
 */
import { createHash, X509Certificate } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { connect, type DetailedPeerCertificate } from 'node:tls'
import { isIP } from 'node:net'
import { KeylessError } from '../shared/errors.js'

export interface ThumbprintOptions {
  /** Extra trusted CA certificates (PEM) for the discovery fetch, e.g. a test or private CA. */
  readonly ca?: string
  /** Timeout for each network step, ms (default 5000, as STS waits ~5 s). */
  readonly timeoutMs?: number
}

export interface ThumbprintResult {
  readonly issuer: string
  readonly discoveryUrl: string
  readonly jwksUri: string
  /** `host:port` the certificate was read from. */
  readonly jwksHost: string
  /** 40 lowercase hex characters. */
  readonly thumbprint: string
  /** The certificate the thumbprint is of (the last one the host serves). */
  readonly certificate: {
    readonly subject: string
    readonly issuer: string
    readonly validTo: string
  }
  /** Certificates the host served, leaf first. */
  readonly chain: ReadonlyArray<{ readonly subject: string; readonly sha1: string }>
}

/** The discovery URL of an issuer (OIDC: strip a trailing `/`, append the well-known path). */
export function discoveryUrlOf(url: string): string {
  if (/\/\.well-known\/openid-configuration$/u.test(url)) return url
  return `${url.replace(/\/+$/u, '')}/.well-known/openid-configuration`
}

function unreachable(what: string, url: string, why: string): KeylessError {
  return new KeylessError('input_unreadable', `cannot read ${what} at ${url}: ${why}`)
}

/** GET a JSON document over http(s) with a timeout; errors become one-line KeylessErrors. */
export function getJson(
  url: string,
  what: string,
  options: ThumbprintOptions = {},
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let u: URL
    try {
      u = new URL(url)
    } catch {
      reject(new KeylessError('usage_error', `not a URL: ${url}`))
      return
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') {
      reject(new KeylessError('usage_error', `not an http(s) URL: ${url}`))
      return
    }
    const get = u.protocol === 'https:' ? httpsRequest : httpRequest
    const req = get(
      u,
      {
        method: 'GET',
        timeout: options.timeoutMs ?? 5000,
        headers: { accept: 'application/json' },
        ...(u.protocol === 'https:' && options.ca !== undefined ? { ca: options.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          size += c.length
          if (size > 1_048_576) req.destroy(new Error('response over 1 MiB'))
          else chunks.push(c)
        })
        res.on('end', () => {
          if ((res.statusCode ?? 0) !== 200) {
            reject(unreachable(what, url, `HTTP ${res.statusCode ?? '?'}`))
            return
          }
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
          } catch {
            reject(unreachable(what, url, 'the answer is not JSON'))
          }
        })
      },
    )
    req.on('timeout', () =>
      req.destroy(new Error(`no answer within ${options.timeoutMs ?? 5000} ms`)),
    )
    req.on('error', (e) => reject(unreachable(what, url, e.message)))
    req.end()
  })
}

/** Reads the certificate chain a TLS host serves (leaf first), without judging its trust. */
export function servedChain(
  host: string,
  port: number,
  timeoutMs = 5000,
): Promise<X509Certificate[]> {
  return new Promise((resolve, reject) => {
    // An empty CA list keeps Node from appending roots of its own store to the served chain.
    const socket = connect({
      host,
      port,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ca: [],
      rejectUnauthorized: false,
      timeout: timeoutMs,
    })
    socket.once('secureConnect', () => {
      const chain: X509Certificate[] = []
      let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true)
      const seen = new Set<string>()
      while (cert?.raw !== undefined && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256)
        chain.push(new X509Certificate(cert.raw))
        cert = cert.issuerCertificate
      }
      socket.end()
      if (chain.length === 0) reject(unreachable('a certificate', `${host}:${port}`, 'none served'))
      else resolve(chain)
    })
    socket.once('timeout', () =>
      socket.destroy(new Error(`no TLS handshake within ${timeoutMs} ms`)),
    )
    socket.once('error', (e: Error) =>
      reject(unreachable('the TLS certificate', `${host}:${port}`, e.message)),
    )
  })
}

const sha1 = (c: X509Certificate): string => createHash('sha1').update(c.raw).digest('hex')

/** Computes the OIDC thumbprint of an issuer (or of a discovery document URL). */
export async function computeThumbprint(
  url: string,
  options: ThumbprintOptions = {},
): Promise<ThumbprintResult> {
  const discoveryUrl = discoveryUrlOf(url)
  const discovery = await getJson(discoveryUrl, 'the discovery document', options)
  const jwksUri =
    typeof discovery === 'object' && discovery !== null
      ? (discovery as Record<string, unknown>)['jwks_uri']
      : undefined
  if (typeof jwksUri !== 'string')
    throw new KeylessError(
      'input_unreadable',
      `the discovery document at ${discoveryUrl} has no jwks_uri`,
    )
  let jwks: URL
  try {
    jwks = new URL(jwksUri)
  } catch {
    throw new KeylessError('input_unreadable', `jwks_uri ${JSON.stringify(jwksUri)} is not a URL`)
  }
  if (jwks.protocol !== 'https:')
    throw new KeylessError(
      'input_unreadable',
      `jwks_uri ${jwksUri} is not https: there is no certificate to take a thumbprint of (AWS requires https)`,
    )
  const host = jwks.hostname.replace(/^\[(.*)\]$/u, '$1')
  const port = jwks.port === '' ? 443 : Number(jwks.port)
  const chain = await servedChain(host, port, options.timeoutMs)
  const top = chain[chain.length - 1] as X509Certificate
  const issuer = (discovery as Record<string, unknown>)['issuer']
  return {
    issuer: typeof issuer === 'string' ? issuer : url,
    discoveryUrl,
    jwksUri,
    jwksHost: `${jwks.hostname}:${port}`,
    thumbprint: sha1(top),
    certificate: { subject: top.subject, issuer: top.issuer, validTo: top.validTo },
    chain: chain.map((c) => ({ subject: c.subject.replace(/\n/gu, ', '), sha1: sha1(c) })),
  }
}
