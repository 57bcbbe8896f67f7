/**
 * The Graph and ARM calls of `setup azure --apply` and of the FIC lint: JSON over HTTPS with a
 * bearer token, trusting an extra CA (the Entra emulator's, `--ca-file`) next to the system's
 * roots. Every failure becomes one KeylessError line without the token.
 */
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { rootCertificates } from 'node:tls'
import type { ErrorCode } from '../../../shared/error-codes.js'
import { KeylessError } from '../../../shared/errors.js'

export interface EntraConnection {
  /** Graph's origin (`https://graph.microsoft.com`, or the emulator's). */
  readonly graphUrl: string
  /** ARM's origin (`https://management.azure.com`, or the emulator's). */
  readonly armUrl: string
  /** The bearer token of management calls (the emulator's admin token). */
  readonly token: string
  /** PEM text of extra CAs. */
  readonly ca?: string
  readonly timeoutMs?: number
}

export interface EntraAnswer {
  readonly status: number
  readonly json: unknown
}

/** The value at a path of object keys in a JSON answer (undefined when any step is missing). */
export function at(value: unknown, ...path: readonly string[]): unknown {
  let v = value
  for (const key of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined
    v = (v as Record<string, unknown>)[key]
  }
  return v
}

/** A string at a path, else ''. */
export const stringAt = (value: unknown, ...path: readonly string[]): string => {
  const v = at(value, ...path)
  return typeof v === 'string' ? v : ''
}

/** An array at a path, else []. */
export const arrayAt = (value: unknown, ...path: readonly string[]): unknown[] => {
  const v = at(value, ...path)
  return Array.isArray(v) ? (v as unknown[]) : []
}

const MAX_ANSWER = 4 * 1024 * 1024

function codeOf(status: number): ErrorCode {
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not_found'
  if (status === 409) return 'conflict'
  if (status >= 400 && status < 500) return 'validation_failed'
  return 'upstream_unreachable'
}

/** The message of a Graph or ARM error envelope (`{ error: { code, message } }`). */
function messageOf(json: unknown, text: string): string {
  const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error
  if (typeof error?.message === 'string')
    return typeof error.code === 'string' ? `${error.code}: ${error.message}` : error.message
  return text.slice(0, 200) || 'no answer body'
}

function send(
  c: EntraConnection,
  method: string,
  url: string,
  body: unknown,
): Promise<{ status: number; text: string }> {
  const target = new URL(url)
  const secure = target.protocol === 'https:'
  const payload = body === undefined ? '' : JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(
      target,
      {
        method,
        timeout: c.timeoutMs ?? 15_000,
        headers: {
          authorization: `Bearer ${c.token}`,
          accept: 'application/json',
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
        ...(secure && c.ca !== undefined ? { ca: [...rootCertificates, c.ca] } : {}),
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > MAX_ANSWER) req.destroy(new Error('answer over 4 MiB'))
          else chunks.push(chunk)
        })
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        )
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', reject)
    req.end(payload)
  })
}

/** One call; a 2xx answer's JSON, else the service's own error as a KeylessError. */
export async function entraCall(
  c: EntraConnection,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
): Promise<EntraAnswer> {
  let answer: { status: number; text: string }
  try {
    answer = await send(c, method, url, body)
  } catch (error) {
    throw new KeylessError(
      'upstream_unreachable',
      `${method} ${url}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  let json: unknown
  try {
    json = answer.text === '' ? undefined : JSON.parse(answer.text)
  } catch {
    json = undefined
  }
  if (answer.status < 200 || answer.status >= 300)
    throw new KeylessError(
      codeOf(answer.status),
      `${method} ${url} → ${answer.status} ${messageOf(json, answer.text)}`,
      { httpStatus: answer.status },
    )
  return { status: answer.status, json }
}
