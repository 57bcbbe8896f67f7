/**
 * `POST /v1/token`: STS's token exchange. Reads the form (snake_case, as every auth library
 * sends it) or JSON (camelCase, as REST clients do), runs the GCP chain of src/federation/gcp
 * online against the pools and the issuer's keys, and answers a federated access token or the
 * OAuth error. Every outcome goes to the decision log with `cloud: gcp`.
 */
import { randomUUID } from 'node:crypto'
import { traceLines } from '../../federation/chain.js'
import {
  providerName,
  runGcpChain,
  type GcpExchange,
  type GcpFailure,
  type GcpRules,
  type GcpWorld,
} from '../../federation/gcp/index.js'
import type { DecisionLog } from '../decisions.js'
import type { IssuerKeys } from '../oidc/keys.js'
import { header, json, type GcpReply, type GcpRequest } from './reply.js'
import { newToken, type GcpState } from './state.js'

export interface StsContext {
  readonly state: GcpState
  readonly keys: IssuerKeys
  readonly rules: GcpRules
  readonly decisions: DecisionLog
  readonly nowMs: number
  /** `expires_in` of federated tokens (Google: about an hour). */
  readonly tokenSeconds: number
}

const CAMEL: Record<string, string> = {
  grantType: 'grant_type',
  requestedTokenType: 'requested_token_type',
  subjectToken: 'subject_token',
  subjectTokenType: 'subject_token_type',
}

export type FieldsRead = { readonly fields: Record<string, string> } | { readonly problem: string }

/** The request's fields by their form names, from either encoding. */
export function readStsFields(body: string, contentType: string): FieldsRead {
  const fields: Record<string, string> = {}
  if (contentType.toLowerCase().startsWith('application/json')) {
    let v: unknown
    try {
      v = JSON.parse(body)
    } catch {
      return { problem: 'The request body is not valid JSON.' }
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return { problem: 'The request body is not a JSON object.' }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const name = CAMEL[k] ?? k
      if (typeof x === 'string') fields[name] = x
      else if (name === 'options' && typeof x === 'object' && x !== null)
        fields[name] = JSON.stringify(x)
      else if (name === 'scope' && Array.isArray(x)) fields[name] = x.map(String).join(' ')
    }
    return { fields }
  }
  for (const [k, v] of new URLSearchParams(body)) if (!(k in fields)) fields[k] = v
  return { fields }
}

function worldOf(ctx: StsContext): GcpWorld {
  return {
    target(ref) {
      const pool = ctx.state.pool(ref.projectNumber, ref.poolId, ctx.nowMs)
      if (pool === undefined) return undefined
      const stored = ctx.state.provider(pool, ref.providerId, ctx.nowMs)
      return {
        poolState: pool.state === 'DELETED' ? 'deleted' : pool.disabled ? 'disabled' : 'active',
        providerState:
          stored === undefined
            ? undefined
            : stored.state === 'DELETED'
              ? 'deleted'
              : stored.checked.disabled
                ? 'disabled'
                : 'active',
        provider: stored?.checked,
      }
    },
    async verifySignature(provider, jwt) {
      const check =
        provider.jwks !== undefined
          ? await ctx.keys.verifyWithJwks(provider.jwks, jwt)
          : await ctx.keys.verify(provider.issuerUri, jwt, [])
      const source =
        provider.jwks !== undefined
          ? "the provider's jwksJson"
          : `the JWKS of ${provider.issuerUri}`
      return check.ok
        ? { status: 'pass', kid: check.kid, source }
        : { status: 'fail', kind: check.kind, reason: check.reason }
    },
  }
}

export function stsError(
  failure: Pick<GcpFailure, 'error' | 'description' | 'httpStatus'>,
): GcpReply {
  return json(failure.httpStatus, { error: failure.error, error_description: failure.description })
}

function expiresIn(ctx: StsContext, ex: GcpExchange): number {
  const exp = ex.facts.claims?.['exp']
  if (!ctx.rules.capAtSubjectExpiry || typeof exp !== 'number') return ctx.tokenSeconds
  return Math.max(1, Math.min(ctx.tokenSeconds, Math.floor(exp) - Math.floor(ctx.nowMs / 1000)))
}

export async function stsRoute(ctx: StsContext, req: GcpRequest): Promise<GcpReply> {
  if (req.method !== 'POST')
    return stsError({
      error: 'invalid_request',
      description: 'The token endpoint accepts only POST.',
      httpStatus: 400,
    })
  const read = readStsFields(req.body, header(req, 'content-type') ?? '')
  if ('problem' in read)
    return stsError({ error: 'invalid_request', description: read.problem, httpStatus: 400 })
  const ex: GcpExchange = {
    request: { fields: read.fields },
    rules: ctx.rules,
    world: worldOf(ctx),
    env: { nowMs: ctx.nowMs },
    facts: {},
  }
  const run = await runGcpChain(ex)
  const { ref, claims, identity } = ex.facts
  const failed = run.failed
  const name = ref === undefined ? undefined : providerName(ref)
  ctx.decisions.add({
    cloud: 'gcp',
    time: new Date(ctx.nowMs).toISOString(),
    action: 'token',
    requestId: randomUUID(),
    roleArn: undefined,
    roleSessionName: undefined,
    decision: failed === undefined ? 'allowed' : 'denied',
    errorCode: failed === undefined ? null : failed.failure.error,
    ...(failed === undefined ? {} : { step: failed.step, reason: failed.failure.reason }),
    explain: () =>
      [
        ...traceLines(run),
        ...(failed === undefined ? [] : [`→ ${failed.failure.error}: ${failed.detail}`]),
      ].join('\n'),
    provider: name,
    token:
      claims === undefined
        ? undefined
        : { iss: claims['iss'], aud: claims['aud'], sub: claims['sub'], tags: [] },
    ...(identity === undefined || ref === undefined
      ? {}
      : {
          principal: `principal://iam.googleapis.com/projects/${ref.projectNumber}/locations/global/workloadIdentityPools/${ref.poolId}/subject/${identity.subject}`,
        }),
  })
  if (failed !== undefined || identity === undefined || ref === undefined || name === undefined)
    return stsError(
      failed?.failure ?? {
        error: 'invalid_request',
        description: 'The request is invalid.',
        httpStatus: 400,
      },
    )
  const seconds = expiresIn(ctx, ex)
  const token = newToken('ya29.d.')
  ctx.state.prune(ctx.nowMs)
  ctx.state.federatedTokens.set(token, {
    identity: { projectNumber: ref.projectNumber, poolId: ref.poolId, ...identity },
    provider: name,
    expiresAtMs: ctx.nowMs + seconds * 1000,
  })
  return json(200, {
    access_token: token,
    issued_token_type: read.fields['requested_token_type'],
    token_type: 'Bearer',
    expires_in: seconds,
  })
}
