/**
 * `explainWebIdentity`: what STS would answer for this token against this role, step by step in
 * AWS's order (docs/aws-behaviour.md §3): provider, audience, signature (never checked here:
 * offline), expiry, trust policy (sts:AssumeRoleWithWebIdentity, plus sts:TagSession when the token
 * carries tags), duration against MaxSessionDuration. Ends with the exact AWS error, or the
 * assumed-role ARN.
 */
import {
  evaluateWebIdentityTrust,
  explainLines,
  parsePolicy,
  type WebIdentityTrustResult,
} from '../../policy/index.js'
import { parseRoleArn } from '../../shared/arn.js'
import { KeylessError } from '../../shared/errors.js'
import { providerArnOf, providerUrlOf, providerUrlOfPrincipal } from '../provider.js'
import { decodeToken, type DecodedToken } from '../token/decode.js'
import {
  awsErrorTable,
  awsMessages,
  expiredMessage,
  noProviderMessage,
  type AwsErrorCode,
} from '../../federation/aws/errors.js'
import { isAwsAlgorithm } from '../../federation/aws/token.js'
import { durationWords } from '../../federation/words.js'

export interface ExplainInput {
  /** The compact JWT; or give `claims` (an unsigned preview, e.g. the control plane's oidc-preview). */
  readonly token?: string
  readonly claims?: Readonly<Record<string, unknown>>
  /** The role's trust policy text. */
  readonly trustPolicy: string
  /** The role; when absent the account comes from the policy's provider ARN. */
  readonly roleArn?: string
  /** Requested DurationSeconds (default 3600). */
  readonly duration?: number
  /** The role's MaxSessionDuration (default 3600). */
  readonly maxSessionDuration?: number
  /** The IAM provider, when known (read from IAM): its client IDs decide the audience check. */
  readonly provider?: {
    readonly arn: string
    readonly url: string
    readonly clientIds: readonly string[]
  } | null
  /** RoleSessionName (default: the token's deploymentId, as keyless's runner sends). */
  readonly roleSessionName?: string
  readonly now: Date
}

export type StepStatus = 'ok' | 'fail' | 'skipped' | 'warn'

export interface ExplainStep {
  readonly step:
    'token' | 'provider' | 'audience' | 'signature' | 'expiry' | 'trust-policy' | 'duration'
  readonly status: StepStatus
  readonly detail: string
}

export interface AwsErrorAnswer {
  readonly code: string
  readonly httpStatus: number
  readonly message: string
}

export interface Explanation {
  readonly decision: 'allowed' | 'denied'
  /** The error AWS would answer (the first failing step in AWS's order); absent when allowed. */
  readonly awsError?: AwsErrorAnswer
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` when allowed. */
  readonly assumedRoleArn?: string
  readonly steps: readonly ExplainStep[]
  /** The trust-policy evaluation (every statement and condition with its values). */
  readonly trust: WebIdentityTrustResult | null
  readonly token: DecodedToken
  readonly roleArn: string
  readonly roleSessionName: string
  /** Always false: explain works offline on the token's claims. */
  readonly signatureChecked: false
  /** The text rendering, one line each. */
  readonly lines: readonly string[]
}

/** AWS's answers, from the web-identity core's table of codes and exact messages. */
const answer = (code: AwsErrorCode, message: string): AwsErrorAnswer => ({
  code,
  httpStatus: awsErrorTable[code].status,
  message,
})

const ERR = {
  noProvider: (iss: string): AwsErrorAnswer =>
    answer('InvalidIdentityToken', noProviderMessage(iss)),
  noAud: answer('InvalidIdentityToken', awsMessages.missingAud),
  badAud: answer('InvalidIdentityToken', awsMessages.incorrectAudience),
  badToken: answer('InvalidIdentityToken', awsMessages.invalidToken),
  expired: (now: number, exp: number): AwsErrorAnswer =>
    answer('ExpiredTokenException', expiredMessage(now, exp, '2024')),
  denied: answer('AccessDenied', awsMessages.notAuthorized),
  duration: answer('ValidationError', awsMessages.durationExceedsMax),
}

/** Explains, offline, what AssumeRoleWithWebIdentity would answer. */
export function explainWebIdentity(input: ExplainInput): Explanation {
  if (input.token === undefined && input.claims === undefined)
    throw new KeylessError('usage_error', 'explain needs a token or the claims of one')
  const compact =
    input.token ??
    [{ alg: 'RS256', typ: 'JWT', kid: 'preview' }, input.claims]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .concat('unsigned-preview')
      .join('.')
  const token = decodeToken(compact, input.now)
  const parsed = parsePolicy(input.trustPolicy)
  if (!parsed.ok)
    throw new KeylessError(
      'input_unreadable',
      `the trust policy is not a policy: ${parsed.error.message}`,
    )
  const policy = parsed.policy
  const claims = token.claims
  const steps: ExplainStep[] = []
  const errors: AwsErrorAnswer[] = []
  const fail = (step: ExplainStep['step'], detail: string, error: AwsErrorAnswer): void => {
    steps.push({ step, status: 'fail', detail })
    errors.push(error)
  }

  const iss = typeof claims['iss'] === 'string' ? claims['iss'] : undefined
  const providerUrl = iss === undefined ? undefined : providerUrlOf(iss)
  const alg = token.header['alg']
  if (!isAwsAlgorithm(alg) || iss === undefined)
    fail(
      'token',
      iss === undefined
        ? 'the token has no iss claim'
        : `alg ${JSON.stringify(alg)} is not one AWS accepts`,
      ERR.badToken,
    )
  else steps.push({ step: 'token', status: 'ok', detail: `signed JWT, alg ${alg}` })

  // Account and role: from the role ARN, else from the policy's Federated principal for this issuer.
  const federated = policy.statements.flatMap((s) =>
    s.principal?.kind === 'map'
      ? s.principal.entries.filter((e) => e.type === 'Federated').flatMap((e) => e.values)
      : [],
  )
  const fromPolicy = federated.find(
    (f) => providerUrl !== undefined && providerUrlOfPrincipal(f) === providerUrl,
  )
  const role = input.roleArn === undefined ? undefined : parseRoleArn(input.roleArn)
  if (input.roleArn !== undefined && role === undefined)
    throw new KeylessError('usage_error', `${JSON.stringify(input.roleArn)} is not a role ARN`)
  const accountId = role?.accountId ?? /::(\d{12}):/u.exec(fromPolicy ?? '')?.[1] ?? '123456789012'
  const roleName = role?.roleName ?? 'ROLE'
  const roleArn = input.roleArn ?? `arn:aws:iam::${accountId}:role/${roleName}`
  const provider = input.provider ?? undefined
  const providerArn = provider?.arn ?? providerArnOf(accountId, providerUrl ?? 'unknown')

  if (iss !== undefined) {
    if (input.provider === null)
      fail(
        'provider',
        `the account has no OIDC provider for ${providerUrl ?? iss}`,
        ERR.noProvider(iss),
      )
    else if (provider !== undefined)
      steps.push({
        step: 'provider',
        status: 'ok',
        detail: `${provider.arn} (url ${provider.url})`,
      })
    else
      steps.push({
        step: 'provider',
        status: 'skipped',
        detail: `not checked offline: AWS looks up ${providerArn} (give --role-arn and --endpoint-url to read it)`,
      })
  }

  const aud = claims['aud']
  const audValues =
    typeof aud === 'string'
      ? [aud]
      : Array.isArray(aud)
        ? aud.filter((a): a is string => typeof a === 'string')
        : []
  if (aud === undefined) fail('audience', 'the token has no aud claim', ERR.noAud)
  else if (provider !== undefined) {
    const match = audValues.find((a) => provider.clientIds.includes(a))
    if (match === undefined)
      fail(
        'audience',
        `aud ${audValues.map((a) => JSON.stringify(a)).join(', ')} is not among the provider's client IDs [${provider.clientIds.map((c) => JSON.stringify(c)).join(', ')}]`,
        ERR.badAud,
      )
    else
      steps.push({
        step: 'audience',
        status: 'ok',
        detail: `aud "${match}" is one of the provider's client IDs`,
      })
  } else
    steps.push({
      step: 'audience',
      status: 'skipped',
      detail: `aud ${audValues.map((a) => JSON.stringify(a)).join(', ')}: the provider's client IDs are not known offline`,
    })

  steps.push({
    step: 'signature',
    status: 'skipped',
    detail:
      'not checked: explain works offline on the claims (STS verifies it against the issuer JWKS)',
  })

  const exp = claims['exp']
  const nowS = Math.floor(input.now.getTime() / 1000)
  if (typeof exp === 'number' && Number.isInteger(exp)) {
    if (exp <= nowS)
      fail('expiry', `expired ${durationWords(nowS - exp)} ago`, ERR.expired(nowS, exp))
    else
      steps.push({
        step: 'expiry',
        status: 'ok',
        detail: `expires in ${durationWords(exp - nowS)}`,
      })
  } else fail('expiry', 'no integer exp claim', ERR.badToken)

  const roleSessionName =
    input.roleSessionName ??
    (typeof claims['deploymentId'] === 'string' ? claims['deploymentId'] : 'keyless-explain')
  let trust: WebIdentityTrustResult | null = null
  if (providerUrl !== undefined) {
    const sourceIdentity = claims['https://aws.amazon.com/source_identity']
    trust = evaluateWebIdentityTrust({
      trustPolicy: policy,
      roleArn,
      accountId,
      provider: { arn: providerArn, url: providerUrl },
      claims,
      roleSessionName,
      sessionTags: token.sessionTags,
      transitiveTagKeys: token.transitiveTagKeys,
      ...(typeof sourceIdentity === 'string' ? { sourceIdentity } : {}),
      requestTime: input.now,
    })
    if (trust.decision === 'Allowed')
      steps.push({
        step: 'trust-policy',
        status: 'ok',
        detail: `allowed: ${trust.checks.map((c) => c.action).join(' and ')}`,
      })
    else {
      const why = trust.failing.map((f) => `${f.statement}: ${f.message}`).join('; ')
      fail(
        'trust-policy',
        `${trust.deniedAction ?? 'sts:AssumeRoleWithWebIdentity'} ${trust.decision === 'ExplicitlyDenied' ? 'explicitly denied' : 'not allowed'}${why === '' ? ' (no statement for this principal and action)' : `: ${why}`}`,
        ERR.denied,
      )
    }
  }

  const duration = input.duration ?? 3600
  const max = input.maxSessionDuration ?? 3600
  if (duration > max)
    fail('duration', `DurationSeconds ${duration} > MaxSessionDuration ${max}`, ERR.duration)
  else
    steps.push({
      step: 'duration',
      status: 'ok',
      detail: `DurationSeconds ${duration} ≤ MaxSessionDuration ${max}`,
    })

  const awsError = errors[0]
  const assumedRoleArn =
    awsError === undefined
      ? `arn:aws:sts::${accountId}:assumed-role/${roleName}/${roleSessionName}`
      : undefined
  const base = {
    decision: awsError === undefined ? ('allowed' as const) : ('denied' as const),
    ...(awsError === undefined ? {} : { awsError }),
    ...(assumedRoleArn === undefined ? {} : { assumedRoleArn }),
    steps,
    trust,
    token,
    roleArn,
    roleSessionName,
    signatureChecked: false as const,
  }
  return { ...base, lines: renderLines(base) }
}

function renderLines(e: Omit<Explanation, 'lines'>): string[] {
  const c = e.token.claims
  const show = (k: string): string =>
    c[k] === undefined ? '(none)' : typeof c[k] === 'string' ? c[k] : JSON.stringify(c[k])
  const lines = [
    'Token (signature NOT checked: explain works offline on the claims)',
    `  iss ${show('iss')}`,
    `  aud ${show('aud')}`,
    `  sub ${show('sub')}`,
    ...(e.token.sessionTags.length > 0
      ? [`  session tags ${e.token.sessionTags.map((t) => `${t.key}=${t.value}`).join(', ')}`]
      : ['  session tags (none)']),
    `Role ${e.roleArn}, RoleSessionName ${e.roleSessionName}`,
    'Steps (in the order STS checks)',
  ]
  for (const s of e.steps)
    lines.push(`  ${s.status.toUpperCase().padEnd(7)} ${s.step.padEnd(12)} ${s.detail}`)
  if (e.trust !== null) {
    lines.push('Trust policy')
    for (const l of explainLines(e.trust)) lines.push(`  ${l}`)
  }
  for (const w of e.token.warnings) lines.push(`Warning: ${w}`)
  lines.push(
    e.awsError === undefined
      ? `Result: allowed; STS returns credentials for ${e.assumedRoleArn ?? ''}`
      : `Result: denied; STS answers ${e.awsError.code} (HTTP ${e.awsError.httpStatus}): ${e.awsError.message}`,
  )
  return lines
}
