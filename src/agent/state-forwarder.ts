import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { KeylessError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { loggableUrl, type Replicas } from './replicas.js'

/** Request bodies up to this size are read first, so that they can be sent again elsewhere. */
export const REPLAY_LIMIT_BYTES = 1024 * 1024

/** How long the forwarder waits for a replica to accept the connection. */
const CONNECT_TIMEOUT_MS = 10_000

/** How long a replica may stay silent in a request before it counts as gone. */
const ANSWER_TIMEOUT_MS = 45_000

/** Headers that belong to one connection, not to the request (never forwarded). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
])

/** The methods of Terraform's http backend, by path (src/server/routes/state-backend.ts). */
const STATE_METHODS = new Set(['GET', 'POST', 'DELETE'])
const LOCK_METHODS = new Set(['LOCK', 'UNLOCK'])

export interface StateForwarderOptions {
  /** The agent's replicas (shared with its API client): where each request goes now. */
  readonly replicas: Replicas
  /** The environment whose state backend is forwarded (no other path is). */
  readonly environmentId: string
  readonly logger: Logger
}

/** How one attempt at a replica ended. */
type Attempt =
  /** Answered, or the client went away: nothing more to do either way. */
  | { readonly kind: 'done' }
  /** The replica is gone. */
  | {
      readonly kind: 'gone'
      readonly error: KeylessError
      /** The body was being sent (a streamed one cannot be sent again). */
      readonly sent: boolean
      /** The replica's own answer (a 503), passed on when the request cannot go elsewhere. */
      readonly response?: IncomingMessage
    }

/**
 * A loopback forwarder for one deployment's Terraform state backend (docs/state.md), used when
 * the agent has several control-plane replicas: the steps' `TF_HTTP_*` addresses point here
 * (127.0.0.1, a random port), and each request goes on to the replica the agent uses now. A
 * replica that refuses the connection or answers 503 is left for the next one (Replicas.failed),
 * and the request is sent there when its body can be sent again (none, or up to
 * REPLAY_LIMIT_BYTES, read first); a larger body is streamed, and when its replica goes away
 * Terraform's own retry (TF_HTTP_RETRY_MAX) brings it to the next one. Answers are streamed back
 * with their headers (Content-Length, Content-MD5); the authorization header is passed on and
 * never logged.
 */
export class StateForwarder {
  readonly #o: StateForwarderOptions
  readonly #server: Server
  readonly #statePath: string

  private constructor(options: StateForwarderOptions) {
    this.#o = options
    this.#statePath = `/api/v1/environments/${encodeURIComponent(options.environmentId)}/state`
    this.#server = createServer((req, res) => void this.#handle(req, res))
  }

  /** Listens on 127.0.0.1 (a random port). */
  static async open(options: StateForwarderOptions): Promise<StateForwarder> {
    const f = new StateForwarder(options)
    await new Promise<void>((resolve, reject) => {
      f.#server.once('error', reject)
      f.#server.listen(0, '127.0.0.1', () => {
        f.#server.off('error', reject)
        resolve()
      })
    })
    return f
  }

  /** The base URL the state backend's addresses start with (as a control plane's would). */
  get url(): string {
    const { port } = this.#server.address() as AddressInfo
    return `http://127.0.0.1:${port}`
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()))
    this.#server.closeAllConnections()
    await closed
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = this.#refusal(req)
    if (refusal !== undefined) {
      req.resume()
      answerError(res, refusal)
      return
    }
    try {
      const body = await replayableBody(req)
      await this.#forward(req, res, body)
    } catch (error) {
      if (!res.headersSent)
        answerError(
          res,
          new KeylessError('upstream_unreachable', 'the state request could not be forwarded'),
        )
      else res.destroy()
      this.#o.logger.warn({ err: messageOf(error) }, 'state request failed in the forwarder')
    }
  }

  /** Only this environment's state and lock paths, with their methods. */
  #refusal(req: IncomingMessage): KeylessError | undefined {
    const path = (req.url ?? '').split('?')[0]
    const method = req.method ?? ''
    if (path === this.#statePath) return STATE_METHODS.has(method) ? undefined : notAllowed(method)
    if (path === `${this.#statePath}/lock`)
      return LOCK_METHODS.has(method) ? undefined : notAllowed(method)
    return new KeylessError(
      'not_found',
      "the agent's state forwarder serves only its deployment's state backend",
    )
  }

  /**
   * Tries the replica in use, then, while it is gone and the request can be sent again, the
   * next ones (each at most once).
   */
  async #forward(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer | undefined,
  ): Promise<void> {
    const { replicas } = this.#o
    for (let tried = 0; ; tried++) {
      const used = replicas.current
      const base = replicas.urls[used] ?? ''
      const attempt = await this.#attempt(base, req, res, body)
      if (attempt.kind === 'done') return
      const next = replicas.failed(used, attempt.error)
      if (next !== undefined)
        this.#o.logger.warn(
          {
            from: loggableUrl(base),
            to: loggableUrl(replicas.urls[next] ?? ''),
            err: attempt.error.message,
          },
          'control-plane replica unavailable for the state backend; moved to the next one',
        )
      const again = (body !== undefined || !attempt.sent) && tried + 1 < replicas.urls.length
      if (again) {
        attempt.response?.resume()
        continue
      }
      // Terraform's client retries a 502/503 (TF_HTTP_RETRY_MAX): to the replica in use then.
      if (attempt.response !== undefined) pipeAnswer(attempt.response, res)
      else answerError(res, attempt.error)
      return
    }
  }

  /** One request at `base`: the answer is streamed to `res` unless the replica is gone. */
  #attempt(
    base: string,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer | undefined,
  ): Promise<Attempt> {
    return new Promise((resolve) => {
      let settled = false
      let sent = false
      let answered = false
      const settle = (a: Attempt): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve(a)
      }
      const gone = (message: string, response?: IncomingMessage): void =>
        settle({
          kind: 'gone',
          sent,
          error: new KeylessError(
            'upstream_unreachable',
            message,
            response === undefined ? undefined : { httpStatus: response.statusCode },
          ),
          ...(response === undefined ? {} : { response }),
        })
      const target = new URL(`${base.replace(/\/+$/u, '')}${req.url ?? '/'}`)
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest
      const upstream = send(target, {
        method: req.method ?? 'GET',
        headers: forwardedHeaders(req.headers, body),
        agent: false,
      })
      const timer = setTimeout(() => {
        upstream.destroy()
        gone(`no connection to ${loggableUrl(base)} within ${CONNECT_TIMEOUT_MS} ms`)
      }, CONNECT_TIMEOUT_MS)
      upstream.setTimeout(ANSWER_TIMEOUT_MS, () =>
        upstream.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)),
      )
      // The client went away (Terraform stopped): not the replica's fault, so nothing moves.
      res.once('close', () => {
        if (res.writableFinished) return
        settle({ kind: 'done' })
        upstream.destroy()
      })
      upstream.once('socket', (socket: Socket) => {
        const connected = (): void => {
          clearTimeout(timer)
          sent = true
          if (body !== undefined) upstream.end(body)
          else req.pipe(upstream)
        }
        if (socket.connecting) socket.once('connect', connected)
        else connected()
      })
      upstream.on('error', (error: Error) => {
        // After the answer started, a broken stream ends the client's answer too.
        if (answered) res.destroy()
        else gone(`${loggableUrl(base)}: ${error.message}`)
      })
      upstream.once('response', (response) => {
        if (response.statusCode === 503) {
          gone(`${loggableUrl(base)} answered 503`, response)
          return
        }
        answered = true
        settle({ kind: 'done' })
        pipeAnswer(response, res)
      })
    })
  }
}

/**
 * The body when it can be sent again: none (no Content-Length, no chunks), or read whole when
 * its Content-Length is at most REPLAY_LIMIT_BYTES. Undefined: streamed as it comes.
 */
async function replayableBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const length = req.headers['content-length']
  const chunked = req.headers['transfer-encoding'] !== undefined
  if (length === undefined && !chunked) {
    req.resume()
    return Buffer.alloc(0)
  }
  if (chunked || Number(length) > REPLAY_LIMIT_BYTES) return undefined
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

function forwardedHeaders(
  headers: IncomingHttpHeaders,
  body: Buffer | undefined,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value
  if (body !== undefined && headers['content-length'] !== undefined)
    out['content-length'] = String(body.length)
  return out
}

function pipeAnswer(response: IncomingMessage, res: ServerResponse): void {
  const headers: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(response.headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value
  res.writeHead(response.statusCode ?? 502, headers)
  response.pipe(res)
  response.once('error', () => res.destroy())
  response.once('aborted', () => res.destroy())
}

function answerError(res: ServerResponse, error: KeylessError): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  res
    .writeHead(error.status, { 'content-type': 'application/json; charset=utf-8' })
    .end(JSON.stringify({ error: { code: error.code, message: error.message } }))
}

function notAllowed(method: string): KeylessError {
  return new KeylessError('bad_request', `method ${method} is not part of the state backend`)
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
