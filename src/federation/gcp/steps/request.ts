/**
 * Steps 1–4: the request's fields, the `audience` as a provider's full resource name, the pool
 * and provider it names (active), and a subject token type an OIDC provider takes.
 */
import {
  GRANT_TOKEN_EXCHANGE,
  SUBJECT_TOKEN_TYPES,
  TOKEN_TYPE_ACCESS,
  TOKEN_TYPE_ACCESS_BOUNDARY,
  TOKEN_TYPE_ID_TOKEN,
  TOKEN_TYPE_JWT,
  gcpMessages,
} from '../errors.js'
import { parseStsAudience, providerName } from '../names.js'
import { fail, pass, type GcpStep } from '../step.js'

const REQUIRED = [
  'grant_type',
  'requested_token_type',
  'subject_token_type',
  'subject_token',
  'audience',
  'scope',
] as const

/** `options` is JSON when present; `userProject` and the rest are ignored for workload pools. */
function optionsValid(options: string | undefined): boolean {
  if (options === undefined || options === '') return true
  try {
    const v: unknown = JSON.parse(options)
    return typeof v === 'object' && v !== null && !Array.isArray(v)
  } catch {
    return false
  }
}

export const requestStep: GcpStep = {
  name: 'request',
  check({ request }) {
    const f = request.fields
    for (const field of REQUIRED)
      if ((f[field] ?? '') === '')
        return fail('request-invalid', gcpMessages.missing(field), `the request has no ${field}`)
    if (f['grant_type'] !== GRANT_TOKEN_EXCHANGE)
      return fail(
        'grant-unsupported',
        gcpMessages.badValue('grant_type'),
        `grant_type ${f['grant_type'] ?? ''} is not ${GRANT_TOKEN_EXCHANGE}`,
      )
    const requested = f['requested_token_type'] ?? ''
    if (requested !== TOKEN_TYPE_ACCESS && requested !== TOKEN_TYPE_ACCESS_BOUNDARY)
      return fail(
        'request-invalid',
        gcpMessages.badValue('requested_token_type'),
        `requested_token_type ${requested} is not ${TOKEN_TYPE_ACCESS}`,
      )
    const type = f['subject_token_type'] ?? ''
    if (!(SUBJECT_TOKEN_TYPES as readonly string[]).includes(type))
      return fail(
        'request-invalid',
        gcpMessages.badValue('subject_token_type'),
        `subject_token_type ${type} is not one STS knows`,
      )
    if (!optionsValid(f['options']))
      return fail(
        'request-invalid',
        gcpMessages.badValue('options'),
        'options is not a JSON object',
      )
    return pass(`token exchange for ${requested}, subject token ${type}`)
  },
}

export const audienceFormatStep: GcpStep = {
  name: 'audience-format',
  check({ request, facts }) {
    const audience = request.fields['audience'] ?? ''
    const parsed = parseStsAudience(audience)
    if (parsed.kind === 'provider') {
      facts.ref = parsed.ref
      return pass(`audience names provider ${providerName(parsed.ref)}`)
    }
    const why =
      parsed.kind === 'pool'
        ? `audience ${audience} names the pool, not a provider (…/providers/<id> is missing)`
        : parsed.kind === 'project-id'
          ? `audience ${audience} names project ${parsed.project} by id; pools live under the project number`
          : `audience ${audience} is not //iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`
    return fail('audience-invalid', gcpMessages.audienceFormat, why)
  },
}

export const targetStep: GcpStep = {
  name: 'target',
  check({ world, facts }) {
    const ref = facts.ref
    if (ref === undefined) return fail('target-not-found', gcpMessages.target, 'no provider')
    const name = providerName(ref)
    const target = world.target(ref)
    if (target === undefined || target.poolState === 'deleted')
      return fail(
        'target-not-found',
        gcpMessages.target,
        `pool ${ref.poolId} does not exist${target === undefined ? '' : ' (deleted)'} in project ${ref.projectNumber}`,
      )
    if (target.poolState === 'disabled')
      return fail('target-disabled', gcpMessages.target, `pool ${ref.poolId} is disabled`)
    if (
      target.providerState === undefined ||
      target.providerState === 'deleted' ||
      target.provider === undefined
    )
      return fail(
        'target-not-found',
        gcpMessages.target,
        `provider ${name} does not exist${target.providerState === 'deleted' ? ' (deleted)' : ''}`,
      )
    if (target.providerState === 'disabled')
      return fail('target-disabled', gcpMessages.target, `provider ${name} is disabled`)
    facts.provider = target.provider
    return pass(`provider ${name} (issuer ${target.provider.issuerUri})`)
  },
}

export const tokenTypeStep: GcpStep = {
  name: 'token-type',
  check({ request }) {
    const type = request.fields['subject_token_type'] ?? ''
    if (type === TOKEN_TYPE_JWT || type === TOKEN_TYPE_ID_TOKEN)
      return pass(`subject token type ${type}`)
    return fail(
      'token-type-mismatch',
      gcpMessages.tokenType(type),
      `an OIDC provider takes ${TOKEN_TYPE_JWT} or ${TOKEN_TYPE_ID_TOKEN}, not ${type}`,
    )
  },
}
