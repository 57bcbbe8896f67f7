import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { KeylessError, ValidationFailed } from '../shared/errors.js'
import type { Principal } from '../platform/index.js'
import { parseInput } from '../platform/validation.js'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type AuthKind = 'api-key' | 'agent' | 'none'

/** What a handler gets: the principal and the validated params, query and body. */
export interface RouteInput<P, Q, B> {
  readonly principal: Principal
  readonly params: P
  readonly query: Q
  readonly body: B
  readonly request: FastifyRequest
  readonly reply: FastifyReply
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
  readonly handler: (input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>
}

export interface Authenticator {
  (kind: AuthKind, request: FastifyRequest): Promise<Principal>
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

function refuseNul(input: Readonly<Record<string, unknown>>): void {
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

/** Registers routes on the app with validation, auth and response filtering. */
export function registerRoutes(
  app: FastifyInstance,
  registry: RouteRegistry,
  authenticate: Authenticator,
  specs: ReadonlyArray<RouteSpec<AnySchema, AnySchema, AnySchema>>,
): void {
  for (const spec of specs) {
    registry.routes.push(spec)
    const statuses = Object.keys(spec.responses).map(Number)
    const defaultStatus = statuses[0] ?? 200
    app.route({
      method: spec.method,
      url: spec.url,
      // A HEAD of a stream would hold the connection until the stream ends.
      exposeHeadRoute: spec.raw !== true,
      handler: async (request, reply) => {
        const principal = await authenticate(spec.auth, request)
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
          bodySchema === undefined
            ? undefined
            : parseInput(bodySchema, request.body ?? {}, 'body', '')
        const result = await spec.handler({ principal, params, query, body, request, reply })
        if (spec.raw === true) return reply
        let status = defaultStatus
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
        if (schema === null) return reply.status(status).send()
        const checked = schema.safeParse(payload)
        if (!checked.success) {
          request.log.error(
            { issues: checked.error.issues.slice(0, 5), route: spec.url },
            'response failed its schema',
          )
          throw new KeylessError('internal_error', 'internal error')
        }
        return reply
          .status(status)
          .type('application/json; charset=utf-8')
          .send(JSON.stringify(checked.data))
      },
    })
  }
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
