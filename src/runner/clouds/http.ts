import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { rootCertificates } from 'node:tls'

/**
 * One HTTP POST of a cloud token exchange (Entra's token endpoint, Google STS and IAM
 * Credentials). node:https rather than fetch, because an emulator's or a private authority's CA
 * (`--cloud-ca-file`) must be trusted next to the system's roots for this request only.
 */
export interface ExchangeResponse {
  readonly status: number
  readonly body: string
}

/** The request could not be made or answered (DNS, refused, TLS, timeout). */
export class ExchangeUnreachable extends Error {
  constructor(url: string, cause: unknown) {
    super(`${url} could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`)
    this.name = 'ExchangeUnreachable'
  }
}

export interface RequestOptions {
  readonly headers: Readonly<Record<string, string>>
  /** PEM text of extra CAs to trust besides the system's roots. */
  readonly extraCa?: string | undefined
  readonly timeoutMs?: number
}

export function post(
  url: string,
  body: string,
  options: RequestOptions,
): Promise<ExchangeResponse> {
  return send('POST', url, body, options)
}

export function get(url: string, options: RequestOptions): Promise<ExchangeResponse> {
  return send('GET', url, '', options)
}

function send(
  method: 'GET' | 'POST',
  url: string,
  body: string,
  options: RequestOptions,
): Promise<ExchangeResponse> {
  const target = new URL(url)
  const secure = target.protocol === 'https:'
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(
      target,
      {
        method,
        headers:
          method === 'GET'
            ? options.headers
            : { ...options.headers, 'content-length': Buffer.byteLength(body) },
        timeout: options.timeoutMs ?? 15_000,
        ...(secure && options.extraCa !== undefined
          ? { ca: [...rootCertificates, options.extraCa] }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        )
        res.on('error', (e) => reject(new ExchangeUnreachable(url, e)))
      },
    )
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', (e) => reject(new ExchangeUnreachable(url, e)))
    req.end(body)
  })
}

/** The JSON object of an answer, or undefined when it is not one. */
export function jsonOf(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body)
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}
