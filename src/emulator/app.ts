/**
 * `buildEmulator(config, deps)`: the AWS STS + IAM emulator as a Fastify app that is not
 * listening (only the CLI listens). One endpoint for both services (AWS Query protocol, GET or
 * form POST on any path), plus `/_keyless/health` and `/_keyless/decisions`.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { systemClock, type Clock } from '../shared/clock.js'
import { KeylessError } from '../shared/errors.js'
import { silentLogger, type Logger } from '../shared/logger.js'
import type { ActionContext } from './action.js'
import { resolveSettings, type EmulatorConfig, type EmulatorSettings } from './config.js'
import { DecisionLog, decisionsQuery } from './decisions.js'
import { createEmulatorMetrics } from './metrics.js'
import { AwsError } from './errors.js'
import { IssuerKeys } from './oidc/keys.js'
import { dispatch, dispatchEager, type DispatchEnv } from './protocol/dispatch.js'
import { fastPathServer, frameworkError, wireRequestOf } from './protocol/fast-path.js'
import { errorXml } from './protocol/xml.js'
import { applySeed, readSeed } from './seed.js'
import { memoryState } from './state/memory.js'
import { sqliteState } from './state/sqlite.js'
import type { EmulatorState } from './state/types.js'

export interface EmulatorDeps {
  readonly clock?: Clock
  readonly logger?: Logger
  /** State to use instead of the one `config.state` names (tests). */
  readonly state?: EmulatorState
  /** A decision log shared with the other clouds' listeners. */
  readonly decisions?: DecisionLog
}

/** Handles on a running emulator, for tests and the CLI: `app.emulator`. */
export interface EmulatorHandles {
  readonly settings: EmulatorSettings
  readonly state: EmulatorState
  readonly decisions: DecisionLog
}

/** What `buildEmulator` returns: a Fastify app (not listening) with `emulator` handles. */
export type Emulator = FastifyInstance & { readonly emulator: EmulatorHandles }

const BODY_LIMIT = 1024 * 1024

export async function buildEmulator(
  config: EmulatorConfig,
  deps: EmulatorDeps = {},
): Promise<Emulator> {
  const settings = resolveSettings(config)
  const clock = deps.clock ?? systemClock
  const logger = deps.logger ?? silentLogger()
  let ca: string | undefined
  if (settings.caFile !== undefined) {
    try {
      ca = readFileSync(settings.caFile, 'utf8')
    } catch {
      throw new KeylessError('input_unreadable', `CA file ${settings.caFile} cannot be read`)
    }
  }
  const seed = settings.seed === undefined ? undefined : readSeed(settings.seed)
  const state =
    deps.state ?? (settings.state === 'memory' ? memoryState() : sqliteState(settings.state))
  const keys = new IssuerKeys(
    {
      timeoutMs: settings.jwksTimeoutMs,
      allowHttp: settings.allowHttpIssuers,
      ...(ca === undefined ? {} : { ca }),
      maxBytes: 1024 * 1024,
      cacheTtlMs: settings.jwksCacheTtlMs,
      refetchIntervalMs: settings.jwksRefetchIntervalMs,
      verifyThumbprints: settings.verifyThumbprints,
      verifyOnPool: settings.verifyOnPool,
    },
    clock,
  )
  const metrics = createEmulatorMetrics()
  const decisions = deps.decisions ?? new DecisionLog(settings.decisionLogSize, metrics.record)
  const env: DispatchEnv = { settings, state, clock, logger, keys, decisions }

  if (seed !== undefined) {
    const ctx: ActionContext = {
      ...env,
      requestId: 'seed',
      caller: { kind: 'admin', accessKeyId: settings.accessKeyId },
      request: { sourceIp: '127.0.0.1', userAgent: 'keyless-seed', secure: false },
    }
    try {
      await applySeed(seed, ctx)
    } catch (error) {
      if (deps.state === undefined) state.close()
      throw error
    }
  }

  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    return503OnClosing: false,
    serverFactory: fastPathServer({
      bodyLimit: BODY_LIMIT,
      logger,
      dispatch: (req) => dispatchEager(req, env),
    }),
  })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))

  const purge = setInterval(() => state.purgeExpiredSessions(clock.now().getTime()), 60_000)
  purge.unref()
  app.addHook('onClose', () => {
    clearInterval(purge)
    if (deps.state === undefined) state.close()
  })

  const send = (reply: FastifyReply, status: number, requestId: string, body: string): void => {
    void reply
      .code(status)
      .header('x-amzn-RequestId', requestId)
      .header('content-type', 'text/xml')
      .send(body)
  }

  app.setErrorHandler((error: { statusCode?: number; code?: string }, _req, reply) => {
    const requestId = randomUUID()
    if (error.statusCode !== 413) logger.error({ err: error, requestId }, 'emulator request failed')
    const aws = frameworkError(error.statusCode, BODY_LIMIT)
    send(reply, aws.httpStatus, requestId, errorXml('sts', aws, requestId))
  })

  app.get('/_keyless/health', () => Promise.resolve({ ok: true }))
  app.get('/_keyless/decisions', (req) => Promise.resolve(decisionsQuery(decisions, req.query)))
  app.get('/_keyless/metrics', async (_req, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  )
  app.all('/_keyless/*', async (_req, reply) => reply.code(404).send({ error: 'not found' }))
  // Methods other than GET and POST: the Query protocol knows only those two.
  app.setNotFoundHandler((_req, reply) => {
    const requestId = randomUUID()
    const aws = new AwsError('InvalidAction', 'The Query protocol accepts only GET and POST.')
    send(reply, aws.httpStatus, requestId, errorXml('sts', aws, requestId))
  })

  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const body = typeof req.body === 'string' ? req.body : ''
    const response = await dispatch(wireRequestOf(req.raw, body), env)
    send(reply, response.status, response.requestId, response.body)
  }
  app.route({ method: ['GET', 'POST'], url: '/', handler })
  app.route({ method: ['GET', 'POST'], url: '/*', handler })

  const handles: EmulatorHandles = { settings, state, decisions }
  app.decorate('emulator', handles)
  return app as unknown as Emulator
}
