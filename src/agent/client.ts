import type { z } from 'zod'
import {
  claimResponseSchema,
  heartbeatResponseSchema,
  tokenResponseSchema,
  type ClaimResponse,
  type HeartbeatResponse,
  type LogLine,
  type StatusRequest,
  type TokenResponse,
} from '../shared/contracts/agent-api.js'
import { errorTable, type ErrorCode } from '../shared/error-codes.js'
import { KeylessError } from '../shared/errors.js'

/**
 * The agent's side of the agent API (`/agent/v1`, docs/architecture.md §9), authenticated with the
 * agent token. Error answers (`{ error: { code, message } }`) become KeylessErrors with the
 * server's code, so callers can tell a lost lease (409) or stopped minting from a network problem.
 */
export class AgentApiClient {
  readonly #base: string
  readonly #token: string

  constructor(server: string, token: string) {
    this.#base = server.replace(/\/+$/u, '')
    this.#token = token
  }

  /** Long poll for a deployment; null when none was queued within the wait. */
  async claim(
    waitSeconds: number,
    agentName: string,
    signal?: AbortSignal,
  ): Promise<ClaimResponse | null> {
    const res = await this.#send('POST', '/agent/v1/claim', { waitSeconds, agentName }, signal)
    if (res.status === 204) return null
    return this.#parse(res, claimResponseSchema)
  }

  async heartbeat(id: string): Promise<HeartbeatResponse> {
    const res = await this.#send('POST', `/agent/v1/deployments/${enc(id)}/heartbeat`, {})
    return this.#parse(res, heartbeatResponseSchema)
  }

  async appendLogs(id: string, lines: readonly LogLine[]): Promise<void> {
    const res = await this.#send('POST', `/agent/v1/deployments/${enc(id)}/logs`, { lines })
    await this.#expectOk(res)
  }

  async status(id: string, body: StatusRequest): Promise<void> {
    const res = await this.#send('POST', `/agent/v1/deployments/${enc(id)}/status`, body)
    await this.#expectOk(res)
  }

  async mintToken(id: string): Promise<TokenResponse> {
    const res = await this.#send('POST', `/agent/v1/deployments/${enc(id)}/oidc-token`, {})
    return this.#parse(res, tokenResponseSchema)
  }

  async #send(
    method: string,
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<Response> {
    try {
      return await fetch(`${this.#base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.#token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        ...(signal === undefined ? {} : { signal }),
      })
    } catch (error) {
      if (signal?.aborted === true) throw error
      const cause = (error as { cause?: { code?: string } }).cause?.code
      throw new KeylessError(
        'upstream_unreachable',
        `the control plane at ${this.#base} could not be reached${cause === undefined ? '' : ` (${cause})`}`,
      )
    }
  }

  async #expectOk(res: Response): Promise<void> {
    if (res.ok) {
      await res.arrayBuffer()
      return
    }
    throw await errorFrom(res)
  }

  async #parse<S extends z.ZodType>(res: Response, schema: S): Promise<z.infer<S>> {
    if (!res.ok) throw await errorFrom(res)
    const parsed = schema.safeParse(await res.json())
    if (!parsed.success) {
      throw new KeylessError(
        'internal_error',
        `the control plane answered ${res.url} with an unexpected body`,
      )
    }
    return parsed.data
  }
}

function enc(id: string): string {
  return encodeURIComponent(id)
}

async function errorFrom(res: Response): Promise<KeylessError> {
  let code: ErrorCode =
    res.status === 409 ? 'conflict' : res.status === 401 ? 'unauthorized' : 'internal_error'
  let message = `HTTP ${res.status}`
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } }
    if (body.error?.code !== undefined && body.error.code in errorTable)
      code = body.error.code as ErrorCode
    if (body.error?.message !== undefined) message = body.error.message
  } catch {
    // not JSON
  }
  return new KeylessError(code, message, { httpStatus: res.status })
}
