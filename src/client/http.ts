import type { z } from 'zod'
import { errorResponseSchema } from '../shared/contracts/error.js'
import { errorTable, type ErrorCode } from '../shared/error-codes.js'
import { KeylessError } from '../shared/errors.js'

/**
 * HTTP to the control plane, for every client (the REST API with an API key, the agent API with
 * an agent token). Answers are parsed with the zod schemas of src/shared/contracts; an error answer
 * `{ error: { code, message } }` becomes a KeylessError with the server's code and message, so the
 * CLI exits as docs/errors.md says; no answer at all is `upstream_unreachable` (exit 5).
 */
export interface HttpOptions {
  readonly server: string
  /** API key or agent token, sent as `Authorization: Bearer`. */
  readonly bearer: string
  /** Per-request timeout; none by default (long polls and log streams set their own). */
  readonly timeoutMs?: number
  /** Injected for tests; default the global fetch. */
  readonly fetch?: typeof fetch
}

export interface RequestOptions {
  readonly body?: unknown
  readonly accept?: string
  readonly signal?: AbortSignal
  /** Extra request headers (e.g. `idempotency-key`). */
  readonly headers?: Readonly<Record<string, string>>
}

/** When the server's code is not one of ours, the HTTP status says what kind of failure it was. */
const CODE_OF_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  502: 'upstream_unreachable',
  503: 'upstream_unreachable',
  504: 'upstream_unreachable',
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorTable, code)
}

/** The KeylessError of an error answer; `details.httpStatus` lets callers retry 5xx and 429. */
export async function errorFromResponse(res: Response): Promise<KeylessError> {
  const fallback = CODE_OF_STATUS[res.status] ?? 'internal_error'
  let body: unknown
  try {
    body = await res.json()
  } catch {
    body = undefined
  }
  const parsed = errorResponseSchema.safeParse(body)
  const details = { httpStatus: res.status }
  if (!parsed.success) return new KeylessError(fallback, `HTTP ${res.status}`, details)
  const { code, message } = parsed.data.error
  return new KeylessError(isErrorCode(code) ? code : fallback, message, details)
}

function causeOf(error: unknown): string {
  const cause: unknown = error instanceof Error ? error.cause : undefined
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code
    return code ?? cause.message
  }
  return error instanceof Error ? error.message : String(error)
}

export class HttpClient {
  readonly base: string
  readonly #options: HttpOptions

  constructor(options: HttpOptions) {
    this.base = options.server.replace(/\/+$/u, '')
    this.#options = options
  }

  /** Sends a request; throws only when there is no answer (`upstream_unreachable`). */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const { body, accept = 'application/json', signal, headers = {} } = options
    const timeout =
      this.#options.timeoutMs === undefined
        ? undefined
        : AbortSignal.timeout(this.#options.timeoutMs)
    const signals = [signal, timeout].filter((s): s is AbortSignal => s !== undefined)
    try {
      return await (this.#options.fetch ?? fetch)(`${this.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#options.bearer}`,
          accept,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signals.length === 0
          ? {}
          : { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) }),
      })
    } catch (error) {
      if (signal?.aborted === true) throw error
      throw new KeylessError(
        'upstream_unreachable',
        `cannot reach the keyless server at ${this.base}: ${causeOf(error)}`,
      )
    }
  }

  /** A JSON answer parsed with its contract schema. */
  async json<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options: RequestOptions = {},
  ): Promise<z.infer<S>> {
    const res = await this.send(method, path, options)
    return this.parse(res, schema)
  }

  /** A JSON answer, or null for 204 No Content (a long poll that found nothing). */
  async optional<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options: RequestOptions = {},
  ): Promise<z.infer<S> | null> {
    const res = await this.send(method, path, options)
    if (res.status === 204) return null
    return this.parse(res, schema)
  }

  /** An answer whose body does not matter (204, or an acknowledgement). */
  async none(method: string, path: string, options: RequestOptions = {}): Promise<void> {
    const res = await this.send(method, path, options)
    if (!res.ok) throw await errorFromResponse(res)
    await res.arrayBuffer()
  }

  async parse<S extends z.ZodType>(res: Response, schema: S): Promise<z.infer<S>> {
    if (!res.ok) throw await errorFromResponse(res)
    let body: unknown
    try {
      body = await res.json()
    } catch {
      body = undefined
    }
    const parsed = schema.safeParse(body)
    if (!parsed.success)
      throw new KeylessError(
        'internal_error',
        `the keyless server at ${this.base} answered ${new URL(res.url || this.base).pathname} with an unexpected body`,
      )
    return parsed.data
  }
}
