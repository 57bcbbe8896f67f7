/**
 * `buildGcpEmulator(config, deps)`: Google's STS, IAM (workload identity pools, providers,
 * service accounts and their policy) and IAM Credentials on one plain-http Fastify app (not
 * listening), by path as docs/emulator.md ("Google") lists them, plus `/_keyless/health` and
 * `/_keyless/decisions`. Management calls take `Authorization: Bearer <admin token>`.
 */
import { readFileSync } from 'node:fs'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { DEFAULT_GCP_RULES, googleMessages, type GcpRules } from '../../federation/gcp/index.js'
import { DEFAULT_PROVIDER_RULES, type ProviderRules } from '../../federation/gcp/provider.js'
import { systemClock, type Clock } from '../../shared/clock.js'
import { KeylessError } from '../../shared/errors.js'
import { DecisionLog, decisionsQuery } from '../decisions.js'
import { IssuerKeys } from '../oidc/keys.js'
import { verifiesOnPool, type VerifyOn } from '../oidc/signature-checks.js'
import type { Collection } from '../state/types.js'
import { GENERATE_PATH, generateAccessTokenRoute, type CredentialsContext } from './credentials.js'
import { poolsRoute } from './pools.js'
import { apiError, bearer, type GcpReply, type GcpRequest } from './reply.js'
import { serviceAccountsRoute } from './service-accounts.js'
import { loadGcpState, saveGcpState } from './snapshot.js'
import { GcpState } from './state.js'
import { stsError, stsRoute } from './sts.js'

export interface GcpEmulatorConfig {
  readonly adminToken?: string | undefined
  readonly caFile?: string | undefined
  readonly jwksTimeoutMs?: number | undefined
  /** Where token signatures are checked (src/emulator/oidc/signature-checks.ts); default auto. */
  readonly verifyOn?: VerifyOn | undefined
  readonly rules?: Partial<GcpRules> | undefined
  /** Provider writes; `requireHttpsIssuers` follows `rules` unless set here. */
  readonly providerRules?: Partial<ProviderRules> | undefined
  /** Seconds before a policy change is seen by generateAccessToken (default 0). */
  readonly bindingPropagationSeconds?: number | undefined
  /** Longest generateAccessToken lifetime (3600; 43200 with the org policy constraint). */
  readonly maxLifetimeSeconds?: number | undefined
  /** Fault mode: fractional-second `expireTime`. */
  readonly fractionalExpireTime?: boolean | undefined
  /** `expires_in` of STS tokens (default 3599). */
  readonly tokenSeconds?: number | undefined
  readonly decisionLogSize?: number | undefined
  /** Where pools, providers and service accounts are kept (`--state FILE`); memory when absent. */
  readonly store?: Collection<unknown> | undefined
}

export interface GcpEmulatorDeps {
  readonly clock?: Clock
  readonly decisions?: DecisionLog
}

export interface GcpHandles {
  readonly state: GcpState
  readonly decisions: DecisionLog
}

export type GcpEmulator = FastifyInstance & { readonly gcp: GcpHandles }

/** STS takes `options` up to 4 MiB; a little more for the rest of the form. */
export const GCP_BODY_LIMIT = 4 * 1024 * 1024 + 64 * 1024

function readCa(file: string | undefined): string | undefined {
  if (file === undefined) return undefined
  try {
    return readFileSync(file, 'utf8')
  } catch {
    throw new KeylessError('input_unreadable', `CA file ${file} cannot be read`)
  }
}

export function buildGcpEmulator(
  config: GcpEmulatorConfig = {},
  deps: GcpEmulatorDeps = {},
): Promise<GcpEmulator> {
  const clock = deps.clock ?? systemClock
  const adminToken = config.adminToken ?? 'test'
  const ca = readCa(config.caFile)
  const state = new GcpState()
  if (config.store !== undefined) loadGcpState(state, config.store)
  const decisions = deps.decisions ?? new DecisionLog(config.decisionLogSize ?? 1000)
  const keys = new IssuerKeys(
    {
      timeoutMs: config.jwksTimeoutMs ?? 5000,
      allowHttp: false,
      ...(ca === undefined ? {} : { ca }),
      maxBytes: 1024 * 1024,
      cacheTtlMs: 10 * 60 * 1000,
      refetchIntervalMs: 1000,
      verifyThumbprints: false,
      overLimit: 'first-100',
      verifyOnPool: verifiesOnPool(config.verifyOn ?? 'auto'),
    },
    clock,
  )
  const rules: GcpRules = { ...DEFAULT_GCP_RULES, ...config.rules }
  const providerRules: ProviderRules = {
    ...DEFAULT_PROVIDER_RULES,
    requireHttpsIssuers: rules.requireHttpsIssuers,
    ...config.providerRules,
  }

  const route = async (req: GcpRequest): Promise<GcpReply> => {
    const nowMs = clock.now().getTime()
    if (req.path === '/v1/token')
      return stsRoute(
        { state, keys, rules, decisions, nowMs, tokenSeconds: config.tokenSeconds ?? 3599 },
        req,
      )
    const generate = GENERATE_PATH.exec(req.path)
    if (generate !== null) {
      const ctx: CredentialsContext = {
        state,
        decisions,
        nowMs,
        adminToken,
        maxLifetimeSeconds: config.maxLifetimeSeconds ?? 3600,
        fractionalExpireTime: config.fractionalExpireTime ?? false,
      }
      return generateAccessTokenRoute(ctx, req, generate[2] ?? '')
    }
    if (bearer(req) !== adminToken)
      return apiError(401, 'UNAUTHENTICATED', googleMessages.unauthenticated)
    const reply =
      poolsRoute({ state, nowMs, providerRules }, req) ??
      serviceAccountsRoute(
        { state, nowMs, bindingPropagationSeconds: config.bindingPropagationSeconds ?? 0 },
        req,
      ) ??
      apiError(404, 'NOT_FOUND', `The requested URL ${req.path} was not found on this server.`)
    // Kept before the answer leaves: a write that was answered is never lost.
    if (req.method !== 'GET' && reply.status < 300 && config.store !== undefined)
      saveGcpState(state, config.store)
    return reply
  }

  const app = Fastify({ logger: false, bodyLimit: GCP_BODY_LIMIT, return503OnClosing: false })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))
  app.setErrorHandler((error: { statusCode?: number }, req, reply) => {
    const tooLarge = error.statusCode === 413
    const why = tooLarge
      ? `The request body is larger than ${GCP_BODY_LIMIT} bytes.`
      : 'The request could not be read.'
    const status = tooLarge ? 413 : 400
    const r = (req.raw.url ?? '').startsWith('/v1/token')
      ? stsError({ error: 'invalid_request', description: why, httpStatus: status })
      : apiError(status, 'INVALID_ARGUMENT', why)
    void reply
      .code(r.status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(r.body))
  })
  app.get('/_keyless/health', () => Promise.resolve({ ok: true }))
  app.get('/_keyless/decisions', (req) => Promise.resolve(decisionsQuery(decisions, req.query)))
  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const r = await route(toRequest(req))
    void reply.code(r.status)
    await reply
      .header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(r.body ?? {}))
  }
  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/*', handler })
  app.decorate('gcp', { state, decisions } satisfies GcpHandles)
  return Promise.resolve(app as unknown as GcpEmulator)
}

function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

function toRequest(req: FastifyRequest): GcpRequest {
  const url = req.raw.url ?? '/'
  const q = url.indexOf('?')
  return {
    method: req.method,
    path: decodePath(q < 0 ? url : url.slice(0, q)),
    query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    headers: req.headers,
    body: typeof req.body === 'string' ? req.body : '',
  }
}
