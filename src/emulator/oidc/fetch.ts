/**
 * Fetching an issuer's documents like STS does: GET with a hard timeout over the whole exchange,
 * a size cap, no redirects; https (with the system CAs plus `--ca-file`), or plain http for
 * loopback hosts or when allowed. For https it also reports the SHA-1 thumbprints of the
 * certificate chain (docs/aws-behaviour.md §16).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { rootCertificates, type DetailedPeerCertificate, type TLSSocket } from 'node:tls'
import { isLoopbackHost } from '../../shared/config/options.js'

export interface FetchSettings {
  readonly timeoutMs: number
  readonly allowHttp: boolean
  /** Extra trusted CAs (PEM). */
  readonly ca?: string
  readonly maxBytes: number
}

export type FetchResult =
  | { readonly ok: true; readonly json: unknown; readonly thumbprints: readonly string[] }
  | { readonly ok: false; readonly reason: string }

/** Is this URL one the emulator may fetch (https, or allowed http)? */
export function fetchableUrl(raw: string, allowHttp: boolean): URL | string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return `${JSON.stringify(raw.slice(0, 200))} is not a URL`
  }
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:' && (allowHttp || isLoopbackHost(url.hostname))) return url
  return `${url.protocol}//${url.host} is not https (plain http is accepted for loopback hosts or with --allow-http-issuers)`
}

function chainThumbprints(res: IncomingMessage): string[] {
  const socket = res.socket as TLSSocket
  if (typeof socket.getPeerCertificate !== 'function') return []
  const out: string[] = []
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true)
  const seen = new Set<string>()
  while (cert !== undefined && cert.fingerprint !== undefined && !seen.has(cert.fingerprint)) {
    seen.add(cert.fingerprint)
    out.push(cert.fingerprint.replace(/:/gu, '').toUpperCase())
    cert = cert.issuerCertificate
  }
  return out
}

export function fetchJson(raw: string, settings: FetchSettings): Promise<FetchResult> {
  const url = fetchableUrl(raw, settings.allowHttp)
  if (typeof url === 'string') return Promise.resolve({ ok: false, reason: url })
  return new Promise<FetchResult>((resolve) => {
    let done = false
    const finish = (result: FetchResult): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      resolve(result)
    }
    const options = {
      method: 'GET',
      headers: { accept: 'application/json', 'user-agent': 'keyless-emulator' },
      ...(url.protocol === 'https:'
        ? { ca: settings.ca === undefined ? undefined : [...rootCertificates, settings.ca] }
        : {}),
    }
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      if (res.statusCode !== 200) {
        res.resume()
        finish({ ok: false, reason: `${url.href} answered HTTP ${res.statusCode ?? 0}` })
        return
      }
      const thumbprints = url.protocol === 'https:' ? chainThumbprints(res) : []
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > settings.maxBytes) {
          finish({ ok: false, reason: `${url.href} sent more than ${settings.maxBytes} bytes` })
          req.destroy()
          return
        }
        chunks.push(chunk)
      })
      res.on('end', () => {
        try {
          finish({
            ok: true,
            json: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            thumbprints,
          })
        } catch {
          finish({ ok: false, reason: `${url.href} did not answer JSON` })
        }
      })
      res.on('error', () => finish({ ok: false, reason: `${url.href}: response failed` }))
    })
    const timer = setTimeout(() => {
      finish({ ok: false, reason: `${url.href} did not answer within ${settings.timeoutMs} ms` })
      req.destroy()
    }, settings.timeoutMs)
    req.on('error', (e) => finish({ ok: false, reason: `${url.href}: ${e.message}` }))
    req.end()
  })
}
