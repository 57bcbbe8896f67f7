import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { KeylessError, ValidationFailed } from '../shared/errors.js'
import type { Principal } from '../platform/index.js'
import {
  IDEMPOTENCY_KEY,
  type IdempotencyClaim,
  type IdempotencyRequest,
  type IdempotencyService,
} from '../platform/idempotency.js'
import { parseInput } from '../platform/validation.js'
import { retryRead, type ReadRetryOptions } from './read-retry.js'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type AuthKind = 'api-key' | 'agent' | 'none'

/** The principal and the validated params, query and body of a request. */
export interface CoreInput<P, Q, B> {
  readonly principal: Principal
  readonly params: P
  readonly query: Q
  readonly body: B
}

/** What a handler gets: the core input, Fastify's request and reply, the idempotency claim. */
export interface RouteInput<P, Q, B> extends CoreInput<P, Q, B> {
  readonly request: FastifyRequest
  readonly reply: FastifyReply
  /** The Idempotency-Key claim this request runs under, if it carries a key. */
  readonly idempotency?: IdempotencyClaim
}

type AnySchema = z.ZodType

/**
 * One route, declared with its request and response schemas (zod). The same declaration
 * validates requests (every failing field named), filters responses (undeclared fields never
 * leave), and generates the OpenAPI document.
 */
export interface RouteSpec<P extends AnySchema, Q extends AnySchema, B extends AnySchema> {
  readonly method: HttpMethod
  /** Fastify path, e.g. `/api/v1/projects/:id`. */
  readonly url: string
  readonly auth: AuthKind
  readonly summary: string
  readonly tag: string
  readonly params?: P
  readonly query?: Q
  readonly body?: B
  /** Answers by status; a status without a schema has no body (204). */
  readonly responses: Readonly<Record<number, AnySchema | null>>
  /** Raw handlers (SSE) write the reply themselves and return nothing. */
  readonly raw?: boolean
  /** Accept NUL characters in the body (log lines; the service replaces them). */
  readonly allowNul?: boolean
  /** The answer carries a secret (a new key, a token): `Idempotency-Key` is refused, never stored. */
  readonly secretAnswer?: boolean
  readonly handler: (input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>
  /**
   * The handler again when it needs nothing of Fastify (no request, reply or idempotency): the
   * route is then also served by the node:http lean path (src/server/lean-path.ts).
   */
  readonly core?: (input: CoreInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>
}

/** Who calls, from the request's headers (`Authorization`). */
export interface Authenticator {
  (kind: AuthKind, request: { readonly headers: IncomingHttpHeaders }): Promise<Principal>
}

export interface RouteRegistry {
  readonly routes: Array<RouteSpec<AnySchema, AnySchema, AnySchema>>
}

const noBody = z.strictObject({})
/** Routes without path parameters (built once: building a zod schema costs more than parsing). */
const noParams = z.object({})

/**
 * Paths of every string holding a NUL character. PostgreSQL cannot store one in text, and no
 * name, id or setting needs one: such input is refused up front instead of failing in the store.
 */
function nulPaths(value: unknown, path: string, out: string[]): string[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push(path === '' ? '(root)' : path)
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nulPaths(v, path === '' ? String(i) : `${path}.${i}`, out))
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) out.push(path === '' ? '(key)' : `${path}.(key)`)
      nulPaths(v, path === '' ? k : `${path}.${k}`, out)
    }
  }
  return out
}

export function refuseNul(input: Readonly<Record<string, unknown>>): void {
  const paths: string[] = []
  for (const value of Object.values(input)) if (value !== undefined) nulPaths(value, '', paths)
  if (paths.length > 0)
    throw new ValidationFailed(
      `invalid request: NUL characters are not allowed (${paths.join(', ')})`,
      paths.map((path) => ({ path, message: 'must not contain NUL characters' })),
    )
}

function isAnswer(value: unknown): value is { __answer: true; status: number; body?: unknown } {
  return typeof value === 'object' && value !== null && '__answer' in value
}

/** An answer as it leaves: status and JSON text (null: no body). */
export interface Sent {
  readonly status: number
  readonly text: string | null
}

/** Where a route's errors are logged (a request's logger). */
export interface ErrorLog {
  error(fields: object, message: string): void
}

/** The handler's result checked against the route's response schemas. */
export function checkedAnswer(spec: AnyRoute, result: unknown, log: ErrorLog): Sent {
  const statuses = Object.keys(spec.responses).map(Number)
  let status = statuses[0] ?? 200
  let payload: unknown = result
  if (isAnswer(result)) {
    status = result.status
    payload = result.body
  }
  const schema = spec.responses[status]
  if (schema === undefined)
    throw new KeylessError(
      'internal_error',
      `route ${spec.method} ${spec.url} answered undeclared status ${status}`,
    )
  if (schema === null) return { status, text: null }
  const checked = schema.safeParse(payload)
  if (!checked.success) {
    log.error(
      { issues: checked.error.issues.slice(0, 5), route: spec.url },
      'response failed its schema',
    )
    throw new KeylessError('internal_error', 'internal error')
  }
  return { status, text: JSON.stringify(checked.data) }
}

function send(reply: FastifyReply, sent: Sent): FastifyReply {
  if (sent.text === null) return reply.status(sent.status).send()
  return reply.status(sent.status).type('application/json; charset=utf-8').send(sent.text)
}

/**
 * How long a request waits for another one running with the same Idempotency-Key; longer than
 * the time after which an unanswered claim counts as abandoned and is taken over.
 */
const IDEMPOTENCY_WAIT_MS = 15_000

/**
 * The request's `Idempotency-Key`, when the route honours one (REST POST routes); refused where
 * the answer carries a secret (it is never stored) or the key is malformed.
 */
function idempotencyKeyOf(spec: AnyRoute, request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key']
  if (raw === undefined || spec.method !== 'POST' || spec.auth !== 'api-key' || spec.raw === true)
    return undefined
  const key = Array.isArray(raw) ? '' : raw
  const problem =
    spec.secretAnswer === true
      ? 'is not accepted here: the answer carries a secret, which is never stored'
      : IDEMPOTENCY_KEY.test(key)
        ? undefined
        : 'must be 1–255 visible ASCII characters'
  if (problem !== undefined)
    throw new ValidationFailed(`invalid request: Idempotency-Key ${problem}`, [
      { path: 'Idempotency-Key', message: problem },
    ])
  return key
}

/**
 * Claims the key, waiting while another request (on any replica) runs with it; a claim that
 * never answered (its server died) is taken over. Answers the claim, or the stored answer.
 */
async function startIdempotent(
  service: IdempotencyService,
  request: IdempotencyRequest,
  signal: AbortSignal | undefined,
): Promise<{ readonly claim: IdempotencyClaim } | { readonly stored: Sent }> {
  const deadline = performance.now() + IDEMPOTENCY_WAIT_MS
  for (;;) {
    let start = await service.start(request)
    if (start.kind === 'running' && start.abandoned)
      start = await service.takeOver(request, start.since)
    if (start.kind === 'run') return { claim: start.claim }
    if (start.kind === 'replay') return { stored: { status: start.status, text: start.body } }
    if (performance.now() > deadline || signal?.aborted === true)
      throw new KeylessError(
        'conflict',
        'a request with this Idempotency-Key is still running; retry later',
      )
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export interface RouteOptions {
  /** Honours `Idempotency-Key` on REST POST routes when given. */
  readonly idempotency?: IdempotencyService
  /** Aborted when the server closes (stops waiting for a running duplicate). */
  readonly closing?: AbortSignal
}

/** A request's params, query and body, refused with NUL characters, parsed by the route's schemas. */
export function validInput(
  spec: AnyRoute,
  request: { readonly params: unknown; readonly query: unknown; readonly body: unknown },
): { params: unknown; query: unknown; body: unknown } {
  refuseNul({
    params: request.params,
    query: request.query,
    ...(spec.allowNul === true ? {} : { body: request.body }),
  })
  const params = parseInput(spec.params ?? noParams, request.params ?? {}, 'path', '')
  const query = parseInput(spec.query ?? noBody, request.query ?? {}, 'query', '')
  const bodySchema =
    spec.body ?? (spec.method === 'GET' || spec.method === 'DELETE' ? undefined : noBody)
  const body =
    bodySchema === undefined ? undefined : parseInput(bodySchema, request.body ?? {}, 'body', '')
  return { params, query, body }
}

/** Registers routes on the app with validation, auth and response filtering. */
export function registerRoutes(
  app: FastifyInstance,
  registry: RouteRegistry,
  authenticate: Authenticator,
  specs: ReadonlyArray<RouteSpec<AnySchema, AnySchema, AnySchema>>,
  options: RouteOptions = {},
): void {
  for (const spec of specs) {
    registry.routes.push(spec)
    app.route({
      method: spec.method,
      url: spec.url,
      // A HEAD of a stream would hold the connection until the stream ends.
      exposeHeadRoute: spec.raw !== true,
      handler: async (request, reply) => {
        const retry: ReadRetryOptions = {
          onRetry: (attempt, error) =>
            request.log.warn(
              { err: error, attempt },
              'database connection lost during a read; retrying it',
            ),
        }
        // Authentication only reads (and stamps `last_used_at`, the same on a repeat).
        const principal = await retryRead(() => authenticate(spec.auth, request), retry)
        const { params, query, body } = validInput(spec, request)
        const key = idempotencyKeyOf(spec, request)
        const service = key === undefined ? undefined : options.idempotency
        const idem = { principal, key: key ?? '', method: spec.method, path: request.url, body }
        let idempotency: IdempotencyClaim | undefined
        if (service !== undefined) {
          const started = await startIdempotent(service, idem, options.closing)
          if ('stored' in started)
            return send(reply.header('idempotent-replayed', 'true'), started.stored)
          idempotency = started.claim
        }
        let sent: Sent | undefined
        try {
          const input = { principal, params, query, body, request, reply }
          const run = (): Promise<unknown> =>
            spec.handler(idempotency === undefined ? input : { ...input, idempotency })
          const result = isRetriedRead(spec) ? await retryRead(run, retry) : await run()
          if (spec.raw === true) return reply
          sent = checkedAnswer(spec, result, request.log)
        } finally {
          if (service !== undefined)
            await (sent === undefined
              ? service.abandon(principal, idem.key)
              : service.finish(principal, idem.key, sent.status, sent.text))
        }
        return send(reply, sent)
      },
    })
  }
}

/**
 * GET handlers only read, so one whose connection was cut runs again (src/server/read-retry.ts);
 * not a raw one (a stream), which may have written part of its answer already.
 */
function isRetriedRead(spec: AnyRoute): boolean {
  return spec.method === 'GET' && spec.raw !== true
}

/** Marks a handler result as an explicit `{ status, body }`. */
export function withStatus(
  status: number,
  body?: unknown,
): { __answer: true; status: number; body?: unknown } {
  return { __answer: true, status, body }
}

export type AnyRoute = RouteSpec<AnySchema, AnySchema, AnySchema>

/** Declares a route with typed handler inputs. */
export function route<
  P extends AnySchema = z.ZodObject<Record<string, never>>,
  Q extends AnySchema = z.ZodObject<Record<string, never>>,
  B extends AnySchema = z.ZodObject<Record<string, never>>,
>(spec: RouteSpec<P, Q, B>): AnyRoute {
  return spec
}

/** Path parameter schemas. */
export const idParams = z.object({ id: z.string().min(1).max(64) })
