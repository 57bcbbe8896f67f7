/**
 * `POST /{tenant}/oauth2/v2.0/token`: the web-identity core's Azure chain run online against the
 * directory and the issuer's fetched keys; success mints a real RS256 access token, failure
 * answers Entra's error envelope. Every outcome goes to the decision log with `cloud: azure`.
 */
import {
  createPrivateKey,
  generateKeyPairSync,
  randomUUID,
  sign,
  type KeyObject,
} from 'node:crypto'
import { traceLines } from '../../federation/chain.js'
import { runAzureChain } from '../../federation/azure/chain.js'
import { closestFic, closestLines } from '../../federation/azure/closest.js'
import { azureErrorBody } from '../../federation/azure/envelope.js'
import type { AzureFailure } from '../../federation/azure/errors.js'
import type { AzureExchange, AzureRules, AzureWorld } from '../../federation/azure/exchange.js'
import type { DecisionLog } from '../decisions.js'
import type { IssuerKeys } from '../oidc/keys.js'
import type { AzureDirectory } from './directory.js'
import { json, type AzureReply, type AzureRequest } from './reply.js'

export interface SigningKey {
  readonly kid: string
  readonly key: KeyObject
  readonly jwk: Record<string, unknown>
}

export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const kid = randomUUID().replace(/-/gu, '').slice(0, 27)
  return {
    kid,
    key: createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })),
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, kty: 'RSA', use: 'sig', alg: 'RS256' },
  }
}

export interface TokenContext {
  readonly directory: AzureDirectory
  readonly keys: IssuerKeys
  readonly signing: SigningKey
  readonly rules: AzureRules
  readonly decisions: DecisionLog
  readonly nowMs: number
  readonly trailerSeparator: string
}

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')

function mint(ctx: TokenContext, ex: AzureExchange): string {
  const { client, resource } = ex.facts
  const tid = ctx.directory.tenantId
  const now = Math.floor(ctx.nowMs / 1000)
  const iss = `https://sts.windows.net/${tid}/`
  const claims = {
    aud: resource,
    iss,
    iat: now,
    nbf: now,
    exp: now + 3599,
    aio: randomUUID(),
    appid: client?.clientId,
    appidacr: '2',
    idp: iss,
    idtyp: 'app',
    oid: client?.principalId,
    rh: '0.keyless.',
    sub: client?.principalId,
    tid,
    uti: randomUUID(),
    ver: '1.0',
  }
  const input = `${b64({ typ: 'JWT', alg: 'RS256', kid: ctx.signing.kid, x5t: ctx.signing.kid })}.${b64(claims)}`
  return `${input}.${sign('sha256', Buffer.from(input), ctx.signing.key).toString('base64url')}`
}

function worldOf(ctx: TokenContext, origin: string): AzureWorld {
  const tid = ctx.directory.tenantId
  return {
    tenantId: tid,
    knowsTenant: (t) => t.toLowerCase() === tid || t.toLowerCase() === 'keyless.onmicrosoft.com',
    client: (id) => ctx.directory.client(id),
    ownIssuers: [
      `https://sts.windows.net/${tid}/`,
      `${origin}/${tid}/v2.0`,
      `https://login.microsoftonline.com/${tid}/v2.0`,
    ],
    async verifySignature(iss, jwt) {
      const check = await ctx.keys.verify(iss, jwt, [])
      return check.ok
        ? { status: 'pass', kid: check.kid }
        : { status: 'fail', kind: check.kind, reason: check.reason }
    },
  }
}

export function readForm(body: string, contentType: string): Record<string, string> {
  const form: Record<string, string> = {}
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) return form
  for (const [k, v] of new URLSearchParams(body)) if (!(k in form)) form[k] = v
  return form
}

export function errorReply(
  failure: AzureFailure,
  req: AzureRequest,
  ctx: Pick<TokenContext, 'nowMs' | 'trailerSeparator'>,
): AzureReply {
  const rid = req.query.get('client-request-id') ?? header(req, 'client-request-id')
  const ids = {
    traceId: randomUUID(),
    correlationId: rid ?? randomUUID(),
    nowMs: ctx.nowMs,
    trailerSeparator: ctx.trailerSeparator,
  }
  return json(failure.httpStatus, azureErrorBody(failure, ids))
}

function header(req: AzureRequest, name: string): string | undefined {
  const v = req.headers[name]
  return typeof v === 'string' ? v : undefined
}

export async function tokenRoute(
  ctx: TokenContext,
  req: AzureRequest,
  tenant: string,
): Promise<AzureReply> {
  const form = readForm(req.body, header(req, 'content-type') ?? '')
  const ex: AzureExchange = {
    request: { tenant, form },
    rules: ctx.rules,
    world: worldOf(ctx, req.origin),
    env: { nowMs: ctx.nowMs },
    facts: {},
  }
  const run = await runAzureChain(ex)
  const { iss, aud, sub, client, fic } = ex.facts
  const closest =
    client !== undefined && iss !== undefined
      ? closestFic(client.fics, { iss, aud: aud ?? '', sub: sub ?? '' })
      : undefined
  const failed = run.failed
  const lines = (): string[] => [
    ...traceLines(run),
    ...(failed !== undefined &&
    closest !== undefined &&
    ['issuer', 'audience', 'subject'].includes(failed.step)
      ? closestLines(closest)
      : []),
    ...(failed === undefined ? [] : [`→ AADSTS${failed.failure.code}: ${failed.detail}`]),
  ]
  ctx.decisions.add({
    cloud: 'azure',
    time: new Date(ctx.nowMs).toISOString(),
    action: 'token',
    requestId: randomUUID(),
    roleArn: undefined,
    roleSessionName: undefined,
    decision: failed === undefined ? 'allowed' : 'denied',
    errorCode: failed === undefined ? null : `AADSTS${failed.failure.code}`,
    ...(failed === undefined ? {} : { step: failed.step, reason: failed.failure.reason }),
    explain: () => lines().join('\n'),
    provider: iss,
    token: iss === undefined ? undefined : { iss, aud, sub, tags: [] },
    clientId: form['client_id'] ?? '',
    tenant,
    ...(fic !== undefined ? { fic: fic.name } : closest !== undefined ? { fic: closest.name } : {}),
  })
  if (failed !== undefined) return errorReply(failed.failure, req, ctx)
  return json(200, {
    token_type: 'Bearer',
    expires_in: 3599,
    ext_expires_in: 3599,
    access_token: mint(ctx, ex),
  })
}
