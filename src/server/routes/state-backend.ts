import { createHash } from 'node:crypto'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Platform, Principal } from '../../platform/index.js'
import { StateLockedError } from '../../platform/state/backend.js'
import { STATE_USERNAME, type StateWriter } from '../../platform/state/secrets.js'
import { KeylessError } from '../../shared/errors.js'
import { errorBody, knownError } from '../errors.js'

/**
 * Terraform's `http` state backend, one per environment (docs/state.md):
 * `GET|POST|DELETE /api/v1/environments/{id}/state` and `LOCK|UNLOCK …/state/lock`. Bodies are
 * raw bytes (up to the state size limit), not the REST API's JSON. Deployments authenticate with
 * Basic `keyless:<state secret>`; API keys (Bearer, admin) may only read.
 */

export const STATE_PATH = '/api/v1/environments/:id/state'
export const STATE_LOCK_PATH = '/api/v1/environments/:id/state/lock'

type Caller = StateWriter | Principal

function basicPassword(header: string): string | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/iu.exec(header)
  if (m?.[1] === undefined) return undefined
  const text = Buffer.from(m[1], 'base64').toString('utf8')
  const colon = text.indexOf(':')
  if (colon < 0 || text.slice(0, colon) !== STATE_USERNAME) return undefined
  return text.slice(colon + 1)
}

async function caller(
  platform: Platform,
  request: FastifyRequest,
  environmentId: string,
): Promise<Caller> {
  const header = request.headers.authorization ?? ''
  const bearer = /^Bearer\s+(\S+)\s*$/iu.exec(header)?.[1]
  if (bearer !== undefined) {
    const principal = await platform.authenticateKey(bearer)
    if (principal === null) throw new KeylessError('unauthorized', 'unknown or revoked API key')
    return principal
  }
  const password = basicPassword(header)
  if (password === undefined)
    throw new KeylessError(
      'unauthorized',
      `the state backend needs Basic auth as user ${STATE_USERNAME} with the deployment's state password, or an admin API key`,
    )
  const writer = await platform.state.authenticate(environmentId, password)
  if (writer === null)
    throw new KeylessError(
      'unauthorized',
      'the state password is not valid for this environment (another environment, or its deployment has finished)',
    )
  return writer
}

function asWriter(who: Caller): StateWriter {
  if (who.kind !== 'deployment')
    throw new KeylessError(
      'forbidden',
      'API keys may read state but never lock or write it; only a running deployment does',
    )
  return who
}

function bodyOf(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
}

function query(request: FastifyRequest): { lockId?: string; force: boolean } {
  const q = (request.query ?? {}) as Record<string, unknown>
  const id = typeof q['ID'] === 'string' && q['ID'] !== '' ? q['ID'] : undefined
  return { ...(id === undefined ? {} : { lockId: id }), force: q['force'] === 'true' }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name]
  return typeof v === 'string' ? v : undefined
}

async function handle(
  platform: Platform,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const environmentId = (request.params as { id: string }).id
  const who = await caller(platform, request, environmentId)
  const { lockId, force } = query(request)
  switch (request.method) {
    case 'GET': {
      const state = await platform.state.read(who, environmentId)
      if (state === null) return reply.status(204).header('cache-control', 'no-store').send()
      return reply
        .status(200)
        .header('cache-control', 'no-store')
        .header('content-md5', createHash('md5').update(state).digest('base64'))
        .type('application/json')
        .send(state)
    }
    case 'POST':
      await platform.state.write(asWriter(who), bodyOf(request), {
        lockId,
        force,
        contentMd5: header(request, 'content-md5'),
      })
      return reply.status(200).send()
    case 'DELETE':
      await platform.state.remove(asWriter(who), { lockId })
      return reply.status(200).send()
    case 'LOCK':
      await platform.state.lock(asWriter(who), bodyOf(request))
      return reply.status(200).send()
    case 'UNLOCK':
      await platform.state.unlock(asWriter(who), bodyOf(request))
      return reply.status(200).send()
    default:
      throw new KeylessError(
        'bad_request',
        `method ${request.method} is not part of the state backend`,
      )
  }
}

/** A 423 answers with the holder's LockInfo (Terraform reads it) plus the usual error object. */
function sendError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
  limit: number,
): void {
  const known =
    error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413
      ? new KeylessError(
          'state_too_large',
          `the state is over the limit of ${limit} bytes (--state-max-bytes); nothing was written`,
          { limit },
        )
      : knownError(error, request)
  if (known.status === 401) void reply.header('www-authenticate', 'Basic realm="keyless state"')
  const body =
    known instanceof StateLockedError ? { ...known.holder, ...errorBody(known) } : errorBody(known)
  void reply.status(known.status).type('application/json; charset=utf-8').send(body)
}

export async function registerStateBackend(
  app: FastifyInstance,
  platform: Platform,
): Promise<void> {
  const limit = platform.context.stateMaxBytes
  app.addHttpMethod('LOCK', { hasBody: true })
  app.addHttpMethod('UNLOCK', { hasBody: true })
  await app.register((child, _options, done) => {
    child.removeAllContentTypeParsers()
    child.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: limit },
      (_request, body, next) => next(null, body),
    )
    child.setErrorHandler((error: FastifyError, request, reply) =>
      sendError(error, request, reply, limit),
    )
    const handler = (request: FastifyRequest, reply: FastifyReply) =>
      handle(platform, request, reply)
    child.route({
      method: ['GET', 'POST', 'DELETE'],
      url: STATE_PATH,
      handler,
      exposeHeadRoute: false,
    })
    child.route({ method: ['LOCK', 'UNLOCK'], url: STATE_LOCK_PATH, handler })
    done()
  })
}
