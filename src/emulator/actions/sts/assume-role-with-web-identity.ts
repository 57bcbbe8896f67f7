/**
 * AssumeRoleWithWebIdentity (unsigned): the whole pipeline of docs/aws-behaviour.md §3–§11, in
 * AWS's order: validation → RoleArn → JWT decoding → provider by `iss` → audience → keys and
 * signature → time claims → session tags → role and trust policy → duration → session policy →
 * credentials. Every outcome goes to the decision log with its explanation; the response never
 * carries it.
 */
import {
  evaluateWebIdentityTrust,
  explainLines,
  validateIdentityPolicy,
} from '../../../policy/index.js'
import { parseRoleArn } from '../../../shared/arn.js'
import { defineAction, type ActionContext } from '../../action.js'
import { AwsError, awsMessages, noProviderMessage } from '../../errors.js'
import { decodeJwt } from '../../oidc/jwt.js'
import { extractSessionTags, extractSourceIdentity } from '../../oidc/session-tags.js'
import { m, type InputOf } from '../../protocol/input.js'
import { newSecretAccessKey, newSessionAccessKeyId, newSessionToken } from '../../credentials.js'
import { packedPolicyPercent } from '../../sts/packed-size.js'
import { parseTrustPolicy } from '../../sts/trust-policies.js'
import { isLoopbackHost } from '../../../shared/config/options.js'
import type { DecisionEntry } from '../../decisions.js'

const ARN = /^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|):(.+)$/u
const POLICY_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\/[\u0021-\u007E]+$/u

type TokenInfo = NonNullable<DecisionEntry['token']>

interface Trace {
  token: TokenInfo | undefined
  provider: string | undefined
  /** Steps of the decision; functions are rendered only when the log is read. */
  lines: Array<string | (() => string[])>
}

function invalidToken(detail: string): AwsError {
  return new AwsError('InvalidIdentityToken', awsMessages.invalidToken, detail)
}

/**
 * Strips the scheme from `iss` the way the provider URL is stored (docs/architecture.md §9 for
 * http).
 */
function providerUrlOf(iss: string, allowHttp: boolean): string | undefined {
  if (iss.startsWith('https://')) return iss.slice('https://'.length)
  if (iss.startsWith('http://')) {
    const rest = iss.slice('http://'.length)
    let host: string
    try {
      host = new URL(iss).hostname
    } catch {
      return undefined
    }
    if (allowHttp || isLoopbackHost(host)) return rest
  }
  return undefined
}

function record(
  ctx: ActionContext,
  params: { roleArn: string | undefined; sessionName: string | undefined },
  trace: Trace,
  error: AwsError | undefined,
): void {
  const lines = trace.lines
  const explain = (): string =>
    [
      ...lines.flatMap((l) => (typeof l === 'string' ? [l] : l())),
      ...(error === undefined ? [] : [`→ ${error.code}: ${error.detail ?? error.message}`]),
    ].join('\n')
  ctx.decisions.add({
    time: ctx.clock.now().toISOString(),
    action: 'AssumeRoleWithWebIdentity',
    requestId: ctx.requestId,
    roleArn: params.roleArn,
    roleSessionName: params.sessionName,
    decision: error === undefined ? 'allowed' : 'denied',
    errorCode: error === undefined ? null : error.code,
    explain,
    provider: trace.provider,
    token: trace.token,
  })
  if (!ctx.logger.isLevelEnabled('info')) return
  const fields = {
    requestId: ctx.requestId,
    roleArn: params.roleArn,
    iss: trace.token?.iss,
    sub: trace.token?.sub,
    errorCode: error?.code,
  }
  if (error === undefined)
    ctx.logger.info(fields, `AssumeRoleWithWebIdentity allowed for ${String(params.roleArn)}`)
  else
    ctx.logger.info(
      fields,
      `AssumeRoleWithWebIdentity denied (${error.code}) for ${String(params.roleArn)}: ${(error.detail ?? error.message).split('\n')[0] ?? ''}`,
    )
}

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
    record(
      ctx,
      { roleArn: params.get('RoleArn'), sessionName: params.get('RoleSessionName') },
      { token: undefined, provider: undefined, lines: ['request validation failed'] },
      error,
    )
  },
  async handler(input, ctx) {
    const trace: Trace = { token: undefined, provider: undefined, lines: [] }
    const ids = { roleArn: input.RoleArn, sessionName: input.RoleSessionName }
    try {
      const result = await run(input, ctx, trace)
      record(ctx, ids, trace, undefined)
      return result
    } catch (error) {
      if (error instanceof AwsError) record(ctx, ids, trace, error)
      throw error
    }
  },
})

async function run(
  input: Input,
  ctx: ActionContext,
  trace: Trace,
): Promise<Record<string, unknown>> {
  const { settings, clock } = ctx
  const now = clock.now()
  const nowSec = Math.floor(now.getTime() / 1000)

  // 3. RoleArn
  const arn = ARN.exec(input.RoleArn)
  if (!arn) throw new AwsError('ValidationError', `${input.RoleArn} is invalid`)
  const partition = arn[1] ?? 'aws'
  const roleAccount = arn[4] ?? ''
  if (input.ProviderId !== undefined)
    throw new AwsError(
      'InvalidParameterValue',
      'ProviderId is only for OAuth 2.0 access tokens; do not set it for OpenID Connect ID tokens.',
    )

  // 4. JWT
  const decoded = decodeJwt(input.WebIdentityToken)
  if (!decoded.ok) throw invalidToken(`malformed token: ${decoded.reason}`)
  const jwt = decoded.jwt
  const claims = jwt.payload
  const tagsClaim = extractSessionTags(claims)
  trace.token = {
    iss: claims['iss'],
    aud: claims['aud'],
    sub: claims['sub'],
    tags: tagsClaim.ok ? tagsClaim.value.tags : [],
  }
  // Rendered only when the decision log is read (claims and records are never mutated); the
  // closure keeps the few values it prints, not the token or its signature.
  const { alg, kid } = jwt
  const seen = trace.token
  trace.lines.push(() => [
    `token: alg ${alg}, kid ${kid ?? '(none)'}, iss ${JSON.stringify(seen.iss)}, sub ${JSON.stringify(seen.sub)}, aud ${JSON.stringify(seen.aud)}`,
  ])

  // 5. Provider by iss, in the role's account
  const iss = claims['iss']
  if (typeof iss !== 'string')
    throw new AwsError(
      'InvalidIdentityToken',
      'Missing a required claim: iss',
      'the token has no string iss claim',
    )
  const providerUrl = providerUrlOf(iss, settings.allowHttpIssuers)
  const providerArn =
    providerUrl === undefined
      ? undefined
      : `arn:${partition}:iam::${roleAccount}:oidc-provider/${providerUrl}`
  const provider = providerArn === undefined ? undefined : ctx.state.providers.get(providerArn)
  if (provider === undefined || providerUrl === undefined)
    throw new AwsError(
      'InvalidIdentityToken',
      noProviderMessage(iss),
      providerUrl === undefined
        ? `iss ${iss} is not https (http is accepted only for loopback hosts or with --allow-http-issuers)`
        : `no OIDC provider ${String(providerArn)} in account ${roleAccount}`,
    )
  trace.provider = provider.arn
  const clientIds = provider.clientIds
  trace.lines.push(() => [`provider: ${provider.arn} (client IDs ${JSON.stringify(clientIds)})`])

  // 6. Audience
  const aud = claims['aud']
  if (aud === undefined)
    throw new AwsError('InvalidIdentityToken', awsMessages.missingAud, 'the token has no aud claim')
  let audience: string | undefined
  if (typeof aud === 'string') audience = provider.clientIds.includes(aud) ? aud : undefined
  else if (Array.isArray(aud)) {
    const registered = aud.filter(
      (a): a is string => typeof a === 'string' && provider.clientIds.includes(a),
    )
    const azp = claims['azp']
    audience = typeof azp === 'string' && registered.includes(azp) ? azp : registered[0]
  }
  if (audience === undefined)
    throw new AwsError(
      'InvalidIdentityToken',
      awsMessages.incorrectAudience,
      `aud ${JSON.stringify(aud)} is not among the provider's client IDs ${JSON.stringify(provider.clientIds)}`,
    )

  // 7. Keys and signature
  const check = await ctx.keys.verify(iss, jwt, provider.thumbprints)
  if (!check.ok) {
    if (check.kind === 'no-key')
      throw new AwsError('InvalidIdentityToken', awsMessages.noKey, check.reason)
    throw invalidToken(check.reason)
  }
  trace.lines.push(`signature: ${jwt.alg} verified with key ${check.kid ?? '(no kid)'}`)

  // 8. Time claims
  const exp = claims['exp']
  if (exp === undefined) throw invalidToken('the token has no exp claim')
  for (const name of ['exp', 'iat', 'nbf'] as const) {
    const v = claims[name]
    if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v)))
      throw invalidToken(`${name} is not an integer number of seconds`)
  }
  if (nowSec >= (exp as number)) {
    const sep = settings.compat.expiredMessageStyle === '2021' ? '' : ' '
    throw new AwsError(
      'ExpiredTokenException',
      `Token expired: current date/time ${nowSec} must be before the expiration date/time${sep}${exp as number}`,
      `exp ${exp as number} is not after now ${nowSec}`,
    )
  }
  const nbf = claims['nbf']
  if (typeof nbf === 'number' && nbf > nowSec + settings.compat.nbfLeewaySeconds)
    throw invalidToken(
      `nbf ${nbf} is more than ${settings.compat.nbfLeewaySeconds} s in the future`,
    )
  const iat = claims['iat']
  if (
    settings.compat.maxTokenAgeSeconds > 0 &&
    typeof iat === 'number' &&
    nowSec - iat > settings.compat.maxTokenAgeSeconds
  )
    throw new AwsError(
      'ExpiredTokenException',
      `Token too old: ${nowSec - iat}`,
      `iat ${iat} is older than ${settings.compat.maxTokenAgeSeconds} s`,
    )

  // Session tags and source identity from claims (docs/aws-behaviour.md §10)
  if (!tagsClaim.ok)
    throw new AwsError(
      settings.compat.tagErrorCode,
      tagsClaim.message,
      `session tags: ${tagsClaim.message}`,
    )
  const sourceIdentity = extractSourceIdentity(claims)
  if (!sourceIdentity.ok)
    throw new AwsError(
      settings.compat.tagErrorCode,
      sourceIdentity.message,
      `source identity: ${sourceIdentity.message}`,
    )

  // 9. Role and trust policy
  const parsedRole = parseRoleArn(input.RoleArn)
  const role =
    parsedRole === undefined || parsedRole.accountId !== settings.accountId
      ? undefined
      : ctx.state.roles.get(parsedRole.roleName.toLowerCase())
  if (role === undefined || parsedRole === undefined || role.path !== parsedRole.path)
    throw new AwsError(
      'AccessDenied',
      awsMessages.notAuthorized,
      `role ${input.RoleArn} does not exist in account ${settings.accountId}`,
    )
  const parsed = parseTrustPolicy(role.trustPolicy)
  if (!parsed.ok)
    throw new AwsError(
      'AccessDenied',
      awsMessages.notAuthorized,
      `the trust policy of ${role.arn} does not parse`,
    )
  const secure = settings.compat.secureTransport ?? ctx.request.secure
  let trust: ReturnType<typeof evaluateWebIdentityTrust>
  try {
    trust = evaluateWebIdentityTrust({
      trustPolicy: parsed.policy,
      roleArn: role.arn,
      accountId: settings.accountId,
      provider: { arn: provider.arn, url: provider.url },
      // `<provider>:aud` is the matched client ID, also for an array-valued aud
      // (docs/aws-behaviour.md §4, §11).
      claims: { ...claims, aud: audience },
      roleSessionName: input.RoleSessionName,
      sessionTags: tagsClaim.value.tags,
      transitiveTagKeys: tagsClaim.value.transitiveTagKeys,
      ...(sourceIdentity.value === undefined ? {} : { sourceIdentity: sourceIdentity.value }),
      requestTime: now,
      sourceIp: ctx.request.sourceIp,
      ...(ctx.request.userAgent === undefined ? {} : { userAgent: ctx.request.userAgent }),
      secureTransport: secure,
    })
  } catch (error) {
    ctx.logger.error({ err: error, requestId: ctx.requestId }, 'trust policy evaluation failed')
    throw new AwsError(
      'AccessDenied',
      awsMessages.notAuthorized,
      'the policy engine failed on this trust policy',
    )
  }
  const evaluated = trust
  trace.lines.push(`trust policy of ${role.arn}: ${trust.summary}`, () => explainLines(evaluated))
  if (trust.decision !== 'Allowed')
    throw new AwsError(
      'AccessDenied',
      awsMessages.notAuthorized,
      `${trust.decision}${trust.deniedAction === undefined ? '' : ` for ${trust.deniedAction}`}: ${trust.summary}`,
    )

  // 10. Duration
  const duration = input.DurationSeconds ?? 3600
  if (duration > role.maxSessionDuration)
    throw new AwsError(
      'ValidationError',
      awsMessages.durationExceedsMax,
      `DurationSeconds ${duration} > MaxSessionDuration ${role.maxSessionDuration}`,
    )

  // 11. Session policies
  if (input.Policy !== undefined) {
    const v = validateIdentityPolicy(input.Policy)
    if (!v.ok)
      throw new AwsError('MalformedPolicyDocument', v.message, `session policy: ${v.message}`)
  }
  const policyArns = (input.PolicyArns ?? []).map((p) => p.arn ?? '')
  for (const p of policyArns)
    if (!POLICY_ARN.test(p)) throw new AwsError('ValidationError', `${p} is invalid`)
  const packs =
    input.Policy !== undefined || policyArns.length > 0 || tagsClaim.value.tags.length > 0
  let packed: number | undefined
  if (packs) {
    packed = packedPolicyPercent(
      { policy: input.Policy, policyArns, tags: tagsClaim.value.tags },
      settings.compat.packedPolicyBudgetBytes,
    )
    if (packed > 100)
      throw new AwsError(
        'PackedPolicyTooLarge',
        `Packed policy consumes ${packed}% of allotted space, please use smaller policy.`,
      )
  }

  // 12. Credentials
  const expiresAt = (nowSec + duration) * 1000
  const accessKeyId = newSessionAccessKeyId()
  const secretAccessKey = newSecretAccessKey()
  const sessionToken = newSessionToken()
  const assumedRoleArn = `arn:${partition}:sts::${settings.accountId}:assumed-role/${role.name}/${input.RoleSessionName}`
  const assumedRoleId = `${role.id}:${input.RoleSessionName}`
  ctx.state.sessions.put(accessKeyId, {
    accessKeyId,
    secretAccessKey,
    sessionToken,
    expiresAt,
    accountId: settings.accountId,
    roleId: role.id,
    roleName: role.name,
    roleArn: role.arn,
    sessionName: input.RoleSessionName,
    assumedRoleArn,
    providerArn: provider.arn,
    ...(sourceIdentity.value === undefined ? {} : { sourceIdentity: sourceIdentity.value }),
  })
  trace.lines.push(`issued ${accessKeyId} for ${duration} s`)
  return {
    Credentials: {
      AccessKeyId: accessKeyId,
      SecretAccessKey: secretAccessKey,
      SessionToken: sessionToken,
      Expiration: new Date(expiresAt),
    },
    SubjectFromWebIdentityToken: typeof claims['sub'] === 'string' ? claims['sub'] : undefined,
    AssumedRoleUser: { AssumedRoleId: assumedRoleId, Arn: assumedRoleArn },
    PackedPolicySize: packed,
    Provider: provider.arn,
    Audience: audience,
    SourceIdentity: sourceIdentity.value,
  }
}
