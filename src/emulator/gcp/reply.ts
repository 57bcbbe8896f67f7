/** What a Google route answers, and the request it reads (the emulator's own shapes). */
import { googleError } from '../../federation/gcp/errors.js'

export interface GcpReply {
  readonly status: number
  readonly body?: unknown
}

export interface GcpRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: string
}

export function json(status: number, body: unknown): GcpReply {
  return { status, body }
}

export function apiError(
  code: number,
  status: string,
  message: string,
  details?: readonly unknown[],
): GcpReply {
  return { status: code, body: googleError(code, status, message, details) }
}

export const notFound = (what?: string): GcpReply =>
  apiError(
    404,
    'NOT_FOUND',
    what === undefined
      ? 'Requested entity was not found.'
      : `Requested entity was not found: ${what}.`,
  )

export const invalidArgument = (message: string): GcpReply =>
  apiError(400, 'INVALID_ARGUMENT', message)

export function header(req: GcpRequest, name: string): string | undefined {
  const v = req.headers[name]
  return typeof v === 'string' ? v : undefined
}

export function bearer(req: GcpRequest): string | undefined {
  const auth = header(req, 'authorization')
  if (auth === undefined) return undefined
  const m = /^Bearer\s+(\S+)$/iu.exec(auth.trim())
  return m?.[1]
}

/** A JSON object body (`{}` when empty), or undefined when it is not one. */
export function jsonBody(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {}
  try {
    const v: unknown = JSON.parse(text)
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}
