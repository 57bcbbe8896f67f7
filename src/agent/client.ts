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
import type { Logger } from '../shared/logger.js'
import { Replicas, loggableUrl } from './replicas.js'

/**
 * The agent's side of the agent API (`/agent/v1`, docs/architecture.md §9), authenticated with the
 * agent token, through the one control-plane client (src/client): answers parsed with the
 * contract schemas, error answers (`{ error: { code, message } }`) KeylessErrors with the
 * server's code, so callers can tell a lost lease (409) or stopped minting from a network problem.
 */
export class AgentApiClient {
  readonly #http: readonly HttpClient[]
  readonly #replicas: Replicas
  readonly #logger: Logger | undefined

  /**
   * `servers`: the replicas' URLs, in order; a call that finds its replica gone (no answer, 503)
   * moves the next call to the next one (src/agent/replicas.ts). The logger hears each move.
   */
  constructor(servers: string | readonly string[], token: string, logger?: Logger) {
    const urls = typeof servers === 'string' ? [servers] : servers
    this.#replicas = new Replicas(urls)
    // A control plane that hangs (a stopped process, a dead peer) counts as unreachable; longer
    // than the longest claim wait (30 s) plus the server's own work.
    this.#http = urls.map((server) => new HttpClient({ server, bearer: token, timeoutMs: 45_000 }))
    this.#logger = logger
  }

  /** The replicas, shared with the state forwarder (src/agent/state-forwarder.ts). */
  get replicas(): Replicas {
    return this.#replicas
  }

  /** The URL of the replica calls go to now. */
  get server(): string {
    return this.#replicas.urls[this.#replicas.current] ?? ''
  }

  /** Runs one call on the current replica; a failure that says it is gone moves on to the next. */
  async #call<T>(run: (http: HttpClient) => Promise<T>): Promise<T> {
    const used = this.#replicas.current
    const http = this.#http[used]
    if (http === undefined) throw new Error('no control-plane replica')
    try {
      return await run(http)
    } catch (error) {
      const next = this.#replicas.failed(used, error)
      if (next !== undefined)
        this.#logger?.warn(
          {
            from: loggableUrl(this.#replicas.urls[used] ?? ''),
            to: loggableUrl(this.#replicas.urls[next] ?? ''),
            err: error instanceof Error ? error.message : String(error),
          },
          'control-plane replica unavailable; moved to the next one',
        )
      throw error
    }
  }

  /**
   * Long poll for a deployment; null when none was queued within the wait. `claimKey`: the same
   * on every retry of one claim attempt (src/agent/claim-key.ts).
   */
  async claim(
    waitSeconds: number,
    agentName: string,
    claimKey: string,
    signal?: AbortSignal,
  ): Promise<ClaimResponse | null> {
    return this.#call((http) =>
      http.optional('POST', '/agent/v1/claim', claimResponseSchema, {
        body: { waitSeconds, agentName, claimKey },
        ...(signal === undefined ? {} : { signal }),
      }),
    )
  }

  async heartbeat(id: string): Promise<HeartbeatResponse> {
    return this.#call((http) =>
      http.json('POST', `${deployment(id)}/heartbeat`, heartbeatResponseSchema, { body: {} }),
    )
  }

  /** `firstSeq`: the sequence number of the first line, so that a re-sent batch is stored once. */
  async appendLogs(id: string, lines: readonly LogLine[], firstSeq?: number): Promise<void> {
    await this.#call((http) =>
      http.none('POST', `${deployment(id)}/logs`, {
        body: { lines, ...(firstSeq === undefined ? {} : { firstSeq }) },
      }),
    )
  }

  async status(id: string, body: StatusRequest): Promise<void> {
    await this.#call((http) => http.none('POST', `${deployment(id)}/status`, { body }))
  }

  /**
   * Gives up the claim attempt with `claimKey` whose answer never came (shutting down): the
   * deployment it may have claimed is queued again at once.
   */
  async releaseClaim(claimKey: string, agentName: string): Promise<void> {
    await this.#call((http) =>
      // Bounded: the agent is stopping and waits for this answer (the lease is the fallback).
      http.none('POST', '/agent/v1/claim/release', {
        body: { claimKey, agentName },
        signal: AbortSignal.timeout(RELEASE_TIMEOUT_MS),
      }),
    )
  }

  /** Hands back a deployment that has not started (shutting down); it is queued again. */
  async release(id: string): Promise<void> {
    await this.#call((http) => http.none('POST', `${deployment(id)}/release`, { body: {} }))
  }

  async mintToken(id: string, runPhase?: RunPhase, cloud?: Cloud): Promise<TokenResponse> {
    return this.#call((http) =>
      http.json('POST', `${deployment(id)}/oidc-token`, tokenResponseSchema, {
        body: {
          ...(runPhase === undefined ? {} : { runPhase }),
          ...(cloud === undefined || cloud === 'aws' ? {} : { cloud }),
        },
      }),
    )
  }
}

/** How long a stopping agent waits for the answer to giving a claim up. */
const RELEASE_TIMEOUT_MS = 5000

function deployment(id: string): string {
  return `/agent/v1/deployments/${encodeURIComponent(id)}`
}
