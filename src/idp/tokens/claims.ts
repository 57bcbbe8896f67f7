import { audienceProblems } from '../../shared/audience.js'
import { ValidationFailed } from '../../shared/errors.js'
import {
  GCP_MAX_SUBJECT_BYTES,
  renderSubject,
  validateSubjectTemplate,
} from '../../shared/subject-template.js'
import { KeylessError } from '../../shared/errors.js'
import { defaultRunPhase, SESSION_TAG_KEYS, type TokenContext } from '../../shared/token-context.js'
import type { OmittedTag } from '../types.js'
import { checkSessionTags, SESSION_TAGS_CLAIM } from './session-tags.js'

/**
 * Every claim a keyless token can carry (docs/architecture.md §3), in the order they are written.
 */
export const TOKEN_CLAIMS = [
  'iss',
  'sub',
  'aud',
  'iat',
  'nbf',
  'exp',
  'jti',
  'organizationId',
  'organizationName',
  'projectId',
  'projectName',
  'templateId',
  'templateName',
  'environmentId',
  'environmentName',
  'deploymentId',
  'deploymentType',
  'runPhase',
  'deployerEmail',
  'userTag',
  SESSION_TAGS_CLAIM,
] as const

export interface ClaimsInput {
  readonly issuer: string
  readonly context: TokenContext
  /** Seconds since the epoch (`iat` and `nbf`). */
  readonly issuedAt: number
  readonly ttlSeconds: number
  readonly jti: string
}

export interface BuiltClaims {
  readonly claims: Record<string, unknown>
  readonly omittedTags: OmittedTag[]
}

/**
 * The claims of one deployment token (docs/architecture.md §3), and the session tags that had to be
 * left out.
 */
export function buildClaims(input: ClaimsInput): BuiltClaims {
  const { context: c } = input
  // Checked at write time too; here again so that no stored value can cross the tenant boundary.
  const problems = [
    ...validateSubjectTemplate(c.subjectTemplate).map((message) => ({
      path: 'subjectTemplate',
      message,
    })),
    ...audienceProblems(c.audience, c.organizationId).map((message) => ({
      path: 'audience',
      message,
    })),
  ]
  if (problems.length > 0)
    throw new ValidationFailed(
      `the organization's ${problems.map((p) => p.path).join(' and ')} cannot be used (an admin must change it): ${problems.map((p) => p.message).join('; ')}`,
      problems,
    )
  const runPhase = c.runPhase ?? defaultRunPhase(c.deploymentType)
  const sub = renderSubject(c.subjectTemplate, {
    runPhase,
    organizationId: c.organizationId,
    projectId: c.projectId,
    environmentId: c.environmentId,
    templateId: c.templateId,
    deploymentType: c.deploymentType,
    deploymentId: c.deploymentId,
  })
  checkSubjectFits(c, sub)
  const claims: Record<string, unknown> = {
    iss: input.issuer,
    sub,
    aud: c.audience,
    iat: input.issuedAt,
    nbf: input.issuedAt,
    exp: input.issuedAt + input.ttlSeconds,
    jti: input.jti,
    organizationId: c.organizationId,
    organizationName: c.organizationName,
    projectId: c.projectId,
    projectName: c.projectName,
    templateId: c.templateId,
    templateName: c.templateName,
    environmentId: c.environmentId,
    environmentName: c.environmentName,
    deploymentId: c.deploymentId,
    deploymentType: c.deploymentType,
    runPhase,
    deployerEmail: c.deployerEmail,
  }
  if (c.userTag !== undefined) claims['userTag'] = c.userTag
  if (!c.sessionTags) return { claims, omittedTags: [] }

  const candidates = SESSION_TAG_KEYS.flatMap((key): Array<[string, string]> => {
    const value = claims[key]
    return typeof value === 'string' ? [[key, value]] : []
  })
  const { principalTags, omitted } = checkSessionTags(candidates)
  if (Object.keys(principalTags).length > 0)
    claims[SESSION_TAGS_CLAIM] = { principal_tags: principalTags }
  return { claims, omittedTags: omitted }
}

/** GCP keeps at most 127 bytes of `google.subject`: refuse at mint time, naming the template. */
function checkSubjectFits(c: TokenContext, sub: string): void {
  if (c.cloud !== 'gcp') return
  const bytes = new TextEncoder().encode(sub).length
  if (bytes <= GCP_MAX_SUBJECT_BYTES) return
  throw new KeylessError(
    'subject_too_long',
    `the subject is ${bytes} bytes, but Google keeps at most ${GCP_MAX_SUBJECT_BYTES} bytes of google.subject: ` +
      `shorten the GCP credential's subject template ${JSON.stringify(c.subjectTemplate)} ` +
      `(for example org:{organizationId}:project:{projectId}:environment:{environmentId})`,
    { bytes, limit: GCP_MAX_SUBJECT_BYTES, subjectTemplate: c.subjectTemplate },
  )
}
