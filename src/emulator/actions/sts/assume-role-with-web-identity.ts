/**
 * AssumeRoleWithWebIdentity (unsigned): the model validation of docs/aws-behaviour.md §2, then the
 * web-identity core's AWS chain (src/federation/aws/chain.ts) run online against this emulator's
 * state and the issuer's fetched keys, then fresh credentials. Every outcome goes to the decision
 * log with its explanation; the response never carries it.
 */
import { renderTraces, traceFunctions, type Traces } from '../../../federation/chain.js'
import { assumedRoleArnOf } from '../../../federation/aws/assumed-role.js'
import { runAwsChain, type AwsChainRun } from '../../../federation/aws/chain.js'
import {
  DEFAULT_AWS_RULES,
  type AwsExchange,
  type AwsWorld,
  type SignatureVerdict,
} from '../../../federation/aws/exchange.js'
import { defineAction, type ActionContext } from '../../action.js'
import { newSecretAccessKey, newSessionAccessKeyId, newSessionToken } from '../../credentials.js'
import type { DecisionEntry } from '../../decisions.js'
import { ownCopy } from '../../../shared/own-copy.js'
import { AwsError } from '../../errors.js'
import type { KeyCheck } from '../../oidc/keys.js'
import { m, type InputOf } from '../../protocol/input.js'
import { packedPolicyPercent } from '../../sts/packed-size.js'
import { parseTrustPolicy } from '../../sts/trust-policies.js'

const input = {
  RoleArn: m.string({
    required: true,
    min: 20,
    max: 2048,
    pattern: {
      re: new RegExp(
        '^[\\t\\n\\r\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u{10000}-\\u{10FFFF}]+$',
        'u',
      ),
      text: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+',
    },
  }),
  RoleSessionName: m.string({
    required: true,
    min: 2,
    max: 64,
    pattern: { re: /^[\w+=,.@-]*$/u, text: '[\\w+=,.@-]*' },
  }),
  WebIdentityToken: m.string({ required: true, min: 4, max: 20000, sensitive: true }),
  ProviderId: m.string({ min: 4, max: 2048 }),
  PolicyArns: m.structList({ max: 10, fields: { arn: m.string({ min: 20, max: 2048 }) } }),
  Policy: m.string({
    min: 1,
    max: 2048,
    pattern: {
      re: new RegExp('^[\\t\\n\\r\\u0020-\\u00FF]+$', 'u'),
      text: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
    },
  }),
  DurationSeconds: m.integer({ min: 900, max: 43200 }),
}

type Input = InputOf<typeof input>

interface Ids {
  readonly roleArn: string | undefined
  readonly sessionName: string | undefined
}

/** What the emulator can see: its own providers and roles, and the issuer's keys. */
function newWorld(ctx: ActionContext): AwsWorld {
  const { settings, state, keys } = ctx
  return {
    accountId: settings.accountId,
    provider: (arn) => state.providers.get(arn) ?? null,
    role(arn) {
      if (arn.accountId !== settings.accountId) return undefined
      const role = state.roles.get(arn.roleName.toLowerCase())
      if (role === undefined || role.path !== arn.path) return undefined
      const parsed = parseTrustPolicy(role.trustPolicy)
      return {
        arn: role.arn,
        name: role.name,
        id: role.id,
        trustPolicy: parsed.ok ? parsed.policy : undefined,
        maxSessionDuration: role.maxSessionDuration,
      }
    },
    verifySignature(iss, jwt, provider) {
      const check = keys.verifyEager(iss, jwt, provider.thumbprints)
      return check instanceof Promise ? check.then(signatureVerdict) : signatureVerdict(check)
    },
    packedPolicyPercent: (packed) =>
      packedPolicyPercent(packed, settings.compat.packedPolicyBudgetBytes),
  }
}

interface Cached {
  readonly settings: ActionContext['settings']
  readonly keys: ActionContext['keys']
  readonly world: AwsWorld
  readonly rules: AwsExchange['rules']
}

/**
 * The world and the rules of one emulator, built once rather than per request: the world reads
 * the live state on every call (nothing in it is a snapshot), the rules follow the settings.
 */
const perState = new WeakMap<ActionContext['state'], Cached>()

function cachedFor(ctx: ActionContext): Cached {
  const hit = perState.get(ctx.state)
  if (hit !== undefined && hit.settings === ctx.settings && hit.keys === ctx.keys) return hit
  const { compat } = ctx.settings
  const fresh: Cached = {
    settings: ctx.settings,
    keys: ctx.keys,
    world: newWorld(ctx),
    rules: {
      ...DEFAULT_AWS_RULES,
      allowHttpIssuers: ctx.settings.allowHttpIssuers,
      expiredMessageStyle: compat.expiredMessageStyle,
      tagErrorCode: compat.tagErrorCode,
      nbfLeewaySeconds: compat.nbfLeewaySeconds,
      maxTokenAgeSeconds: compat.maxTokenAgeSeconds,
    },
  }
  perState.set(ctx.state, fresh)
  return fresh
}

function signatureVerdict(check: KeyCheck): SignatureVerdict {
  return check.ok
    ? { status: 'pass', kid: check.kid }
    : {
        status: 'fail',
        kind: check.kind === 'bad-signature' ? 'bad-signature' : 'no-key',
        reason: check.reason,
      }
}

function exchangeOf(input: Input, ctx: ActionContext): AwsExchange {
  const { compat } = ctx.settings
  const { world, rules } = cachedFor(ctx)
  return {
    request: {
      roleArn: input.RoleArn,
      roleSessionName: input.RoleSessionName,
      webIdentityToken: input.WebIdentityToken,
      durationSeconds: input.DurationSeconds,
      providerId: input.ProviderId,
      policy: input.Policy,
      policyArns: (input.PolicyArns ?? []).map((p) => p.arn ?? ''),
    },
    rules,
    world,
    env: {
      now: ctx.clock.now(),
      sourceIp: ctx.request.sourceIp,
      userAgent: ctx.request.userAgent,
      secureTransport: compat.secureTransport ?? ctx.request.secure,
    },
    facts: {},
  }
}

/** Session tags a decision shows when the token's were not accepted (one array, never changed). */
const NO_TAGS: ReadonlyArray<{ readonly key: string; readonly value: string }> = Object.freeze([])

/** The decision log entry's token summary: iss, aud, sub and the accepted session tags. */
function tokenInfo(exchange: AwsExchange, run: AwsChainRun): DecisionEntry['token'] {
  const { jwt, tags } = exchange.facts
  if (jwt === undefined) return undefined
  const tagsAccepted =
    run.outcomes.find((o) => o.step === 'session-tags')?.verdict.status === 'pass'
  const { iss, aud, sub } = jwt.payload
  return { iss, aud, sub, tags: tagsAccepted && tags !== undefined ? tags : NO_TAGS }
}

// Decisions of the same millisecond share their time text: a one-entry memo (pure).
let lastMs = Number.NaN
let lastIso = ''

function isoMillis(date: Date): string {
  const ms = date.getTime()
  if (ms !== lastMs) {
    lastIso = date.toISOString()
    lastMs = ms
  }
  return lastIso
}

/** The trace of a request refused before the chain ran. */
const REFUSED: Traces = [() => ['request validation failed']]

/*
 * A decision's explanation is rendered when the log is read (GET /_keyless/decisions), not for
 * every request: rendering at once cost more main-thread time than the young-generation GC it
 * saved (measured). Each closure holds only what its lines print, not the exchange or the error.
 */
function allowedExplanation(traces: Traces, accessKeyId: string, seconds: number): () => string {
  return () => [...renderTraces(traces), `issued ${accessKeyId} for ${seconds} s`].join('\n')
}

function deniedExplanation(traces: Traces, code: string, detail: string): () => string {
  return () => [...renderTraces(traces), `→ ${code}: ${detail}`].join('\n')
}

function record(
  ctx: ActionContext,
  ids: Ids,
  entry: {
    readonly explain: () => string
    readonly error: AwsError | undefined
    readonly provider?: string | undefined
    readonly token?: DecisionEntry['token']
    readonly step?: string | undefined
    readonly reason?: string | undefined
  },
): void {
  const { error } = entry
  ctx.decisions.add({
    time: isoMillis(ctx.clock.now()),
    action: 'AssumeRoleWithWebIdentity',
    requestId: ctx.requestId,
    roleArn: ids.roleArn,
    roleSessionName: ids.sessionName,
    decision: error === undefined ? 'allowed' : 'denied',
    errorCode: error === undefined ? null : error.code,
    ...(entry.step === undefined ? {} : { step: entry.step }),
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    explain: entry.explain,
    provider: entry.provider,
    token: entry.token,
  })
  logDecision(ctx, ids, entry.token, error)
}

function logDecision(
  ctx: ActionContext,
  ids: Ids,
  token: DecisionEntry['token'],
  error: AwsError | undefined,
): void {
  if (!ctx.logger.isLevelEnabled('info')) return
  const fields = {
    requestId: ctx.requestId,
    roleArn: ids.roleArn,
    iss: token?.iss,
    sub: token?.sub,
    errorCode: error?.code,
  }
  const role = String(ids.roleArn)
  if (error === undefined) ctx.logger.info(fields, `AssumeRoleWithWebIdentity allowed for ${role}`)
  else
    ctx.logger.info(
      fields,
      `AssumeRoleWithWebIdentity denied (${error.code}) for ${role}: ${(error.detail ?? error.message).split('\n')[0] ?? ''}`,
    )
}

/** Step 12: fresh session credentials for the role the chain accepted. */
function issue(
  input: Input,
  ctx: ActionContext,
  exchange: AwsExchange,
): {
  readonly result: Record<string, unknown>
  readonly accessKeyId: string
  /** The session name, the session's own copy. */
  readonly session: string
} {
  const { settings } = ctx
  const facts = exchange.facts
  const { role, provider } = facts
  if (role === undefined || provider === undefined)
    throw new AwsError('InternalFailure', 'An internal error occurred.')
  const duration = facts.duration ?? 3600
  const expiresAt = (Math.floor(exchange.env.now.getTime() / 1000) + duration) * 1000
  const accessKeyId = newSessionAccessKeyId()
  const secretAccessKey = newSecretAccessKey()
  const sessionToken = newSessionToken()
  // Stored for the session's lifetime: a copy of its own, not a view into the request body.
  const session = ownCopy(input.RoleSessionName)
  const assumedRoleArn = assumedRoleArnOf(
    facts.partition ?? 'aws',
    settings.accountId,
    role.name,
    session,
  )
  const sourceIdentity = facts.sourceIdentity
  ctx.state.sessions.put(accessKeyId, {
    accessKeyId,
    secretAccessKey,
    sessionToken,
    expiresAt,
    accountId: settings.accountId,
    roleId: role.id ?? '',
    roleName: role.name,
    roleArn: role.arn,
    sessionName: session,
    assumedRoleArn,
    providerArn: provider.arn,
    ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
  })
  const result = {
    Credentials: {
      AccessKeyId: accessKeyId,
      SecretAccessKey: secretAccessKey,
      SessionToken: sessionToken,
      Expiration: new Date(expiresAt),
    },
    SubjectFromWebIdentityToken:
      typeof facts.claims?.['sub'] === 'string' ? facts.claims['sub'] : undefined,
    AssumedRoleUser: { AssumedRoleId: `${role.id ?? ''}:${session}`, Arn: assumedRoleArn },
    PackedPolicySize: facts.packedPolicySize,
    Provider: provider.arn,
    Audience: facts.audience,
    SourceIdentity: sourceIdentity,
  }
  return { result, accessKeyId, session }
}

function run(
  input: Input,
  ctx: ActionContext,
): Record<string, unknown> | Promise<Record<string, unknown>> {
  const exchange = exchangeOf(input, ctx)
  const chain = runAwsChain(exchange)
  return chain instanceof Promise
    ? chain.then((c) => conclude(input, ctx, exchange, c))
    : conclude(input, ctx, exchange, chain)
}

/**
 * What the decision names: the role's own ARN when the request named it (one string for every
 * decision), else a copy of the request's (not a view into the body, which holds the token).
 */
function idsOf(input: Input, exchange: AwsExchange, session: string | undefined): Ids {
  const roleArn = exchange.facts.role?.arn
  return {
    roleArn: roleArn === input.RoleArn ? roleArn : ownCopy(input.RoleArn),
    sessionName: session ?? ownCopy(input.RoleSessionName),
  }
}

/** The chain's answer: its failure as the AWS error, or fresh credentials; logged either way. */
function conclude(
  input: Input,
  ctx: ActionContext,
  exchange: AwsExchange,
  chain: AwsChainRun,
): Record<string, unknown> {
  const seen = {
    provider: exchange.facts.provider?.arn,
    token: tokenInfo(exchange, chain),
  }
  const failed = chain.failed
  const traces = traceFunctions(chain)
  if (failed !== undefined) {
    if (failed.cause !== undefined)
      ctx.logger.error(
        { err: failed.cause, requestId: ctx.requestId },
        'trust policy evaluation failed',
      )
    const { code, message, reason } = failed.failure
    const error = new AwsError(code, message, failed.detail)
    const explain = deniedExplanation(traces, code, error.detail ?? error.message)
    const ids = idsOf(input, exchange, undefined)
    record(ctx, ids, { explain, error, ...seen, step: failed.step, reason })
    throw error
  }
  const { result, accessKeyId, session } = issue(input, ctx, exchange)
  const explain = allowedExplanation(traces, accessKeyId, exchange.facts.duration ?? 3600)
  record(ctx, idsOf(input, exchange, session), { explain, error: undefined, ...seen })
  return result
}

export const assumeRoleWithWebIdentity = defineAction({
  service: 'sts',
  name: 'AssumeRoleWithWebIdentity',
  auth: 'none',
  input,
  result: [
    [
      'Credentials',
      {
        structure: [
          ['AccessKeyId', 'string'],
          ['SecretAccessKey', 'string'],
          ['SessionToken', 'string'],
          ['Expiration', 'timestamp'],
        ],
      },
    ],
    ['SubjectFromWebIdentityToken', 'string'],
    [
      'AssumedRoleUser',
      {
        structure: [
          ['AssumedRoleId', 'string'],
          ['Arn', 'string'],
        ],
      },
    ],
    ['PackedPolicySize', 'integer'],
    ['Provider', 'string'],
    ['Audience', 'string'],
    ['SourceIdentity', 'string'],
  ],
  onRefused(error, params, ctx) {
    const text = (name: string): string | undefined => {
      const value = params.get(name)
      return value === undefined ? undefined : ownCopy(value)
    }
    const explain = deniedExplanation(REFUSED, error.code, error.detail ?? error.message)
    record(
      ctx,
      { roleArn: text('RoleArn'), sessionName: text('RoleSessionName') },
      { explain, error },
    )
  },
  handler: run,
})
