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
import { HttpClient } from '../client/index.js'

/**
 * The agent's side of the agent API (`/agent/v1`, docs/architecture.md §9), authenticated with the
 * agent token, through the one control-plane client (src/client): answers parsed with the
 * contract schemas, error answers (`{ error: { code, message } }`) KeylessErrors with the
 * server's code, so callers can tell a lost lease (409) or stopped minting from a network problem.
 */
export class AgentApiClient {
  readonly #http: HttpClient

  constructor(server: string, token: string) {
    this.#http = new HttpClient({ server, bearer: token })
  }

  /** Long poll for a deployment; null when none was queued within the wait. */
  async claim(
    waitSeconds: number,
    agentName: string,
    signal?: AbortSignal,
  ): Promise<ClaimResponse | null> {
    return this.#http.optional('POST', '/agent/v1/claim', claimResponseSchema, {
      body: { waitSeconds, agentName },
      ...(signal === undefined ? {} : { signal }),
    })
  }

  async heartbeat(id: string): Promise<HeartbeatResponse> {
    return this.#http.json('POST', `${deployment(id)}/heartbeat`, heartbeatResponseSchema, {
      body: {},
    })
  }

  async appendLogs(id: string, lines: readonly LogLine[]): Promise<void> {
    await this.#http.none('POST', `${deployment(id)}/logs`, { body: { lines } })
  }

  async status(id: string, body: StatusRequest): Promise<void> {
    await this.#http.none('POST', `${deployment(id)}/status`, { body })
  }

  async mintToken(id: string): Promise<TokenResponse> {
    return this.#http.json('POST', `${deployment(id)}/oidc-token`, tokenResponseSchema, {
      body: {},
    })
  }
}

function deployment(id: string): string {
  return `/agent/v1/deployments/${encodeURIComponent(id)}`
}
