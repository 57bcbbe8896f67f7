/**
 * IAM Credentials `POST /v1/projects/-/serviceAccounts/{email}:generateAccessToken`: the caller
 * is a federated token from STS (or the admin token); one of its principals must hold a role with
 * `iam.serviceAccounts.getAccessToken` on the service account. The answer is exactly Google's:
 * `{"accessToken","expireTime"}` with a whole-second `Z` time; refusals are PERMISSION_DENIED
 * with the ErrorInfo detail, also for a service account that does not exist.
 */
import { randomUUID } from 'node:crypto'
import {
  bindingLines,
  decideBinding,
  googleMessages,
  permissionDenied,
  type BindingDecision,
} from '../../federation/gcp/index.js'
import type { DecisionLog } from '../decisions.js'
import {
  apiError,
  bearer,
  invalidArgument,
  json,
  jsonBody,
  type GcpReply,
  type GcpRequest,
} from './reply.js'
import { newToken, type FederatedToken, type GcpState } from './state.js'

export interface CredentialsContext {
  readonly state: GcpState
  readonly decisions: DecisionLog
  readonly nowMs: number
  readonly adminToken: string
  /** Longest `lifetime` (3600 s; up to 43200 with the org policy constraint). */
  readonly maxLifetimeSeconds: number
  /** Fault mode: `expireTime` with fractional seconds (Python's client then refuses it). */
  readonly fractionalExpireTime: boolean
}

export const GENERATE_PATH =
  /^\/v1\/projects\/([^/]+)\/serviceAccounts\/([^/:]+):generateAccessToken$/u

const unauthenticated = (): GcpReply =>
  apiError(401, 'UNAUTHENTICATED', googleMessages.unauthenticated)

/** `"3600s"` / `"3600.5s"` → seconds; undefined when malformed. */
function lifetimeSeconds(v: unknown): number | undefined {
  if (v === undefined || v === null) return 3600
  if (typeof v !== 'string') return undefined
  const m = /^(\d+)(?:\.(\d{1,9}))?s$/u.exec(v)
  return m === null ? undefined : Number(m[1])
}

function expireTime(ms: number, fractional: boolean): string {
  const iso = new Date(ms).toISOString()
  return fractional ? iso.replace(/\.(\d{3})Z$/u, '.$1123456Z') : iso.replace(/\.\d{3}Z$/u, 'Z')
}

interface Call {
  readonly email: string
  readonly caller: FederatedToken | 'admin' | undefined
}

/** The step and reason a refusal is logged with. */
function failureOf(errorCode: string): { step: string; reason: string } {
  if (errorCode === 'PERMISSION_DENIED') return { step: 'binding', reason: 'binding-missing' }
  if (errorCode === 'UNAUTHENTICATED') return { step: 'caller', reason: 'caller-unauthenticated' }
  return { step: 'request', reason: 'request-invalid' }
}

function log(
  ctx: CredentialsContext,
  call: Call,
  errorCode: string | null,
  lines: readonly string[],
): void {
  const caller = call.caller === 'admin' || call.caller === undefined ? undefined : call.caller
  ctx.decisions.add({
    cloud: 'gcp',
    time: new Date(ctx.nowMs).toISOString(),
    action: 'generateAccessToken',
    requestId: randomUUID(),
    roleArn: undefined,
    roleSessionName: undefined,
    decision: errorCode === null ? 'allowed' : 'denied',
    errorCode,
    ...(errorCode === null ? {} : failureOf(errorCode)),
    explain: () => lines.join('\n'),
    provider: caller?.provider,
    token: undefined,
    serviceAccount: call.email,
    ...(caller === undefined
      ? {}
      : {
          principal: `principal://iam.googleapis.com/projects/${caller.identity.projectNumber}/locations/global/workloadIdentityPools/${caller.identity.poolId}/subject/${caller.identity.subject}`,
        }),
  })
}

function callerOf(ctx: CredentialsContext, req: GcpRequest): Call['caller'] {
  const token = bearer(req)
  if (token === undefined) return undefined
  if (token === ctx.adminToken) return 'admin'
  const fed = ctx.state.federatedTokens.get(token)
  return fed === undefined || fed.expiresAtMs <= ctx.nowMs ? undefined : fed
}

function readRequest(
  ctx: CredentialsContext,
  body: string,
): { scopes: string[]; lifetime: number } | { problem: string } {
  const b = jsonBody(body)
  if (b === undefined) return { problem: googleMessages.invalidArgument }
  const scope = b['scope']
  if (
    !Array.isArray(scope) ||
    scope.length === 0 ||
    !scope.every((s) => typeof s === 'string' && s !== '')
  )
    return { problem: googleMessages.invalidArgument }
  const delegates = b['delegates']
  if (
    delegates !== undefined &&
    delegates !== null &&
    !(Array.isArray(delegates) && delegates.length === 0)
  )
    return { problem: 'The emulator does not support delegation chains (delegates).' }
  const lifetime = lifetimeSeconds(b['lifetime'])
  if (lifetime === undefined || lifetime <= 0) return { problem: googleMessages.invalidArgument }
  if (lifetime > ctx.maxLifetimeSeconds)
    return {
      problem:
        ctx.maxLifetimeSeconds === 3600
          ? googleMessages.lifetime
          : `The access token lifetime cannot exceed ${ctx.maxLifetimeSeconds} seconds.`,
    }
  return { scopes: scope as string[], lifetime }
}

function decide(
  ctx: CredentialsContext,
  call: Call,
): { decision: BindingDecision | 'admin'; lines: string[] } | undefined {
  const sa = ctx.state.serviceAccount(call.email)
  if (call.caller === 'admin')
    return sa === undefined
      ? undefined
      : { decision: 'admin', lines: ['caller: the admin token (owner of every service account)'] }
  if (call.caller === undefined) return undefined
  const decision = decideBinding(
    sa === undefined ? undefined : ctx.state.effectivePolicy(sa, ctx.nowMs),
    call.caller.identity,
  )
  const lines =
    sa === undefined
      ? [
          `service account ${call.email} does not exist`,
          ...bindingLines(call.email, decision).slice(0, 1),
        ]
      : bindingLines(call.email, decision)
  return sa === undefined
    ? { decision: { allowed: false, principals: decision.principals, near: [] }, lines }
    : { decision, lines }
}

export function generateAccessTokenRoute(
  ctx: CredentialsContext,
  req: GcpRequest,
  email: string,
): GcpReply {
  const call: Call = { email, caller: callerOf(ctx, req) }
  if (call.caller === undefined) {
    log(ctx, call, 'UNAUTHENTICATED', [
      bearer(req) === undefined
        ? 'no Authorization: Bearer header'
        : 'the bearer token is not a live STS token of this emulator',
    ])
    return unauthenticated()
  }
  if (req.method !== 'POST') return apiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed.')
  const read = readRequest(ctx, req.body)
  if ('problem' in read) {
    log(ctx, call, 'INVALID_ARGUMENT', [read.problem])
    return invalidArgument(read.problem)
  }
  const decided = decide(ctx, call)
  if (decided === undefined || (decided.decision !== 'admin' && !decided.decision.allowed)) {
    log(
      ctx,
      call,
      'PERMISSION_DENIED',
      decided?.lines ?? [`service account ${email} does not exist`],
    )
    return json(403, permissionDenied())
  }
  const expiresAtMs = Math.floor(ctx.nowMs / 1000) * 1000 + read.lifetime * 1000
  const token = newToken('ya29.c.')
  ctx.state.prune(ctx.nowMs)
  ctx.state.accessTokens.set(token, { email, scopes: read.scopes, expiresAtMs })
  log(ctx, call, null, decided.lines)
  return json(200, {
    accessToken: token,
    expireTime: expireTime(expiresAtMs, ctx.fractionalExpireTime),
  })
}
