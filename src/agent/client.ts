import type { Cloud, RunPhase } from '../shared/contracts/common.js'
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
    // A control plane that hangs (a stopped process, a dead peer) counts as unreachable; longer
    // than the longest claim wait (30 s) plus the server's own work.
    this.#http = new HttpClient({ server, bearer: token, timeoutMs: 45_000 })
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

  /** `firstSeq`: the sequence number of the first line, so that a re-sent batch is stored once. */
  async appendLogs(id: string, lines: readonly LogLine[], firstSeq?: number): Promise<void> {
    await this.#http.none('POST', `${deployment(id)}/logs`, {
      body: { lines, ...(firstSeq === undefined ? {} : { firstSeq }) },
    })
  }

  async status(id: string, body: StatusRequest): Promise<void> {
    await this.#http.none('POST', `${deployment(id)}/status`, { body })
  }

  /** Hands back a deployment that has not started (shutting down); it is queued again. */
  async release(id: string): Promise<void> {
    await this.#http.none('POST', `${deployment(id)}/release`, { body: {} })
  }

  async mintToken(id: string, runPhase?: RunPhase, cloud?: Cloud): Promise<TokenResponse> {
    return this.#http.json('POST', `${deployment(id)}/oidc-token`, tokenResponseSchema, {
      body: {
        ...(runPhase === undefined ? {} : { runPhase }),
        ...(cloud === undefined || cloud === 'aws' ? {} : { cloud }),
      },
    })
  }
}

function deployment(id: string): string {
  return `/agent/v1/deployments/${encodeURIComponent(id)}`
}
