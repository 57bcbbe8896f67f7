/**
 * `buildAzureEmulator(config, deps)`: the Entra ID emulator as a Fastify https app (not
 * listening): token endpoint, discovery documents, Graph and ARM management shapes, plus
 * `/_keyless/health` and `/_keyless/decisions`. The CA lands in `<data-dir>/emulator-ca.pem`
 * before the app exists, so before the port accepts connections.
 */
import { readFileSync } from 'node:fs'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { DEFAULT_FLEXIBLE_ISSUERS } from '../../federation/azure/fic.js'
import { azureFailure, azureMessages } from '../../federation/azure/errors.js'
import { DEFAULT_AZURE_RULES, type AzureRules } from '../../federation/azure/exchange.js'
import { systemClock, type Clock } from '../../shared/clock.js'
import { KeylessError } from '../../shared/errors.js'
import { DecisionLog, decisionsQuery } from '../decisions.js'
import { IssuerKeys } from '../oidc/keys.js'
import { verifiesOnPool, type VerifyOn } from '../oidc/signature-checks.js'
import { armError, armRoute } from './arm.js'
import { AzureDirectory } from './directory.js'
import { loadDirectory, saveDirectory } from './directory-snapshot.js'
import type { Collection } from '../state/types.js'
import { keysDocument, metadataEndpoints, openIdConfiguration } from './documents.js'
import { graphError, graphRoute } from './graph.js'
import type { AzureReply, AzureRequest } from './reply.js'
import { emulatorTls, type EmulatorTls } from './tls.js'
import { errorReply, newSigningKey, tokenRoute, type TokenContext } from './token.js'

export const DEFAULT_AZURE_TENANT_ID = '8a1f5c2e-0d4b-4c67-9e1a-3b5f7d9c2e10'

export interface AzureEmulatorConfig {
  /** `<data-dir>`: the CA goes to `<data-dir>/emulator-ca.pem`. */
  readonly dataDir: string
  readonly tenantId?: string | undefined
  readonly adminToken?: string | undefined
  readonly caFile?: string | undefined
  readonly jwksTimeoutMs?: number | undefined
  /** Where token signatures are checked (src/emulator/oidc/signature-checks.ts); default auto. */
  readonly verifyOn?: VerifyOn | undefined
  readonly rules?: Partial<AzureRules> | undefined
  /** `' '` (default) or `'\r\n'` between the description and its Trace ID/Correlation ID trailer. */
  readonly trailerSeparator?: string | undefined
  readonly flexibleIssuers?: readonly string[] | undefined
  /** How long an ARM FIC write holds its identity, ms (concurrent writes get 409). */
  readonly armWriteHoldMs?: number | undefined
  readonly decisionLogSize?: number | undefined
  /** Where the directory is kept across restarts (the emulator's state); none: memory only. */
  readonly store?: Collection<unknown> | undefined
}

export interface AzureEmulatorDeps {
  readonly clock?: Clock
  readonly decisions?: DecisionLog
}

export interface AzureHandles {
  readonly tenantId: string
  readonly directory: AzureDirectory
  readonly decisions: DecisionLog
  readonly tls: EmulatorTls
}

export type AzureEmulator = FastifyInstance & { readonly azure: AzureHandles }

const BODY_LIMIT = 1024 * 1024
const TENANT_PATH =
  /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token|oauth2\/token)$/u

function readCa(file: string | undefined): string | undefined {
  if (file === undefined) return undefined
  try {
    return readFileSync(file, 'utf8')
  } catch {
    throw new KeylessError('input_unreadable', `CA file ${file} cannot be read`)
  }
}

function authorized(req: AzureRequest, token: string): boolean {
  return req.headers['authorization'] === `Bearer ${token}`
}

function unauthorized(req: AzureRequest, nowMs: number): AzureReply {
  const missing = req.headers['authorization'] === undefined
  if (req.path.toLowerCase().startsWith('/subscriptions'))
    return missing
      ? armError(
          401,
          'AuthenticationFailed',
          "Authentication failed. The 'Authorization' header is missing.",
        )
      : armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.')
  return graphError(
    401,
    'InvalidAuthenticationToken',
    missing ? 'Access token is empty.' : 'Access token validation failure.',
    nowMs,
  )
}

export async function buildAzureEmulator(
  config: AzureEmulatorConfig,
  deps: AzureEmulatorDeps = {},
): Promise<AzureEmulator> {
  const clock = deps.clock ?? systemClock
  const tenantId = (config.tenantId ?? DEFAULT_AZURE_TENANT_ID).toLowerCase()
  const adminToken = config.adminToken ?? 'test'
  const ca = readCa(config.caFile)
  const tls = await emulatorTls(config.dataDir, clock.now().getTime())
  const directory = new AzureDirectory(tenantId)
  if (config.store !== undefined) loadDirectory(directory, config.store)
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
  const signing = newSigningKey()
  const rules: AzureRules = { ...DEFAULT_AZURE_RULES, ...config.rules }
  const trailerSeparator = config.trailerSeparator ?? ' '
  const flexibleIssuers = config.flexibleIssuers ?? DEFAULT_FLEXIBLE_ISSUERS

  const route = async (req: AzureRequest): Promise<AzureReply> => {
    const nowMs = clock.now().getTime()
    if (req.path === '/metadata/endpoints')
      return { status: 200, body: metadataEndpoints(req.origin) }
    const t = TENANT_PATH.exec(req.path)
    if (t !== null) {
      const [, tenant = '', what = ''] = t
      const token: TokenContext = {
        directory,
        keys,
        signing,
        rules,
        decisions,
        nowMs,
        trailerSeparator,
      }
      if (what.startsWith('oauth2')) {
        if (req.method !== 'POST')
          return errorReply(
            azureFailure('request-invalid', 900144, azureMessages.missingParameter('grant_type')),
            req,
            token,
          )
        return tokenRoute(token, req, tenant)
      }
      if (tenant.toLowerCase() !== tenantId && tenant.toLowerCase() !== 'keyless.onmicrosoft.com')
        return {
          status: 400,
          body: {
            error: 'invalid_tenant',
            error_description: `AADSTS90002: ${azureMessages.noTenant(tenant)}`,
          },
        }
      return {
        status: 200,
        body: what.startsWith('discovery')
          ? keysDocument(signing)
          : openIdConfiguration(req.origin, tenantId),
      }
    }
    const management =
      /^\/(v1\.0|beta)\//u.test(req.path) || req.path.toLowerCase().startsWith('/subscriptions')
    if (!management)
      return {
        status: 404,
        body: { error: { code: 'NotFound', message: `No route for ${req.method} ${req.path}.` } },
      }
    if (!authorized(req, adminToken)) return unauthorized(req, nowMs)
    const reply = graphRoute({ directory, nowMs, flexibleIssuers }, req) ??
      (await armRoute({ directory, nowMs, writeHoldMs: config.armWriteHoldMs ?? 25 }, req)) ?? {
        status: 404,
        body: { error: { code: 'NotFound', message: 'Not found.' } },
      }
    // Kept before the answer leaves: a write that was answered is never lost.
    if (req.method !== 'GET' && reply.status < 300 && config.store !== undefined)
      saveDirectory(directory, config.store)
    return reply
  }

  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    return503OnClosing: false,
    https: { key: tls.key, cert: tls.cert },
  })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))
  app.setErrorHandler((error: { statusCode?: number }, req, reply) => {
    const tooLarge = error.statusCode === 413
    const failure = azureFailure(
      'request-invalid',
      90100,
      azureMessages.badParameter(
        tooLarge ? `the body is larger than ${BODY_LIMIT} bytes` : 'the request could not be read',
      ),
    )
    const r = errorReply(failure, toRequest(req), {
      nowMs: clock.now().getTime(),
      trailerSeparator,
    })
    void reply.code(tooLarge ? 413 : 400).send(r.body)
  })
  app.get('/_keyless/health', () => Promise.resolve({ ok: true }))
  app.get('/_keyless/decisions', (req) => Promise.resolve(decisionsQuery(decisions, req.query)))
  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const r = await route(toRequest(req))
    void reply.code(r.status)
    for (const [k, v] of Object.entries(r.headers ?? {})) void reply.header(k, v)
    if (r.body === undefined) await reply.send()
    else
      await reply
        .header('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify(r.body))
  }
  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/*', handler })
  app.decorate('azure', { tenantId, directory, decisions, tls } satisfies AzureHandles)
  return app as unknown as AzureEmulator
}

function toRequest(req: FastifyRequest): AzureRequest {
  const url = req.raw.url ?? '/'
  const q = url.indexOf('?')
  return {
    method: req.method,
    path: decodeURIComponent(q < 0 ? url : url.slice(0, q)),
    query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    headers: req.headers,
    body: typeof req.body === 'string' ? req.body : '',
    origin: `https://${req.headers.host ?? 'localhost'}`,
  }
}
