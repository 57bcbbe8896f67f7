/**
 * The subjects a gcp-oidc credential's tokens carry and whether Google keeps them: `google.subject`
 * is at most 127 bytes (src/shared/subject-template.ts). A template with {deploymentId} is measured
 * with the longest deployment id keyless makes. When one is too long, find a template that fits:
 * the same without {deploymentId}, {runPhase}, {deploymentType}, {templateId}, keyless's default,
 * one per environment, one per project.
 */
import { DEPLOYMENT_TYPES, type DeploymentType } from '../../../shared/contracts/common.js'
import { KeylessError } from '../../../shared/errors.js'
import {
  AZURE_DEFAULT_SUBJECT_TEMPLATE,
  DEFAULT_SUBJECT_TEMPLATE,
  GCP_MAX_SUBJECT_BYTES,
  renderSubject,
  validateSubjectTemplate,
} from '../../../shared/subject-template.js'
import { dropPlaceholders, PER_PROJECT_TEMPLATE } from '../azure/fit.js'
import { runPhasesOf } from '../azure/subjects.js'
import type { GcpSetupCredential, SubjectTooLong } from './model.js'

/** As long as the ids keyless gives deployments (`dep_` and 21 characters). */
export const LONGEST_DEPLOYMENT_ID = `dep_${'x'.repeat(21)}`

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8')

/** Every subject of a credential's scopes under a template (deployment ids at their longest). */
export function gcpSubjects(
  credential: GcpSetupCredential,
  organizationId: string,
  template: string,
  wanted: readonly DeploymentType[] = [],
): string[] {
  const types = wanted.length === 0 ? DEPLOYMENT_TYPES : [...new Set(wanted)]
  const out = new Set<string>()
  for (const scope of credential.scopes)
    for (const deploymentType of types)
      for (const runPhase of runPhasesOf(deploymentType, scope.templateType))
        out.add(
          renderSubject(template, {
            organizationId,
            projectId: scope.projectId,
            environmentId: scope.environmentId ?? 'env_xxxxxxxxxxxxxxxxxxxxx',
            templateId: scope.templateId ?? 'tpl_xxxxxxxxxxxxxxxxxxxxx',
            deploymentType,
            deploymentId: LONGEST_DEPLOYMENT_ID,
            runPhase,
          }),
        )
  return [...out]
}

const longest = (subjects: readonly string[]): string =>
  subjects.reduce((a, b) => (bytes(b) > bytes(a) ? b : a), '')

function candidates(template: string): string[] {
  const all = [
    dropPlaceholders(template, ['deploymentId']),
    dropPlaceholders(template, ['deploymentId', 'runPhase']),
    dropPlaceholders(template, ['deploymentId', 'runPhase', 'deploymentType']),
    dropPlaceholders(template, ['deploymentId', 'runPhase', 'deploymentType', 'templateId']),
    DEFAULT_SUBJECT_TEMPLATE,
    AZURE_DEFAULT_SUBJECT_TEMPLATE,
    PER_PROJECT_TEMPLATE,
  ]
  return [...new Set(all)].filter((t) => t !== template && validateSubjectTemplate(t).length === 0)
}

function label(c: GcpSetupCredential): string {
  return c.name === undefined ? `the credential of pool ${c.poolId}` : `credential ${c.name}`
}

/** The credential's subject that is too long, with the reason and a template that fits; or null. */
export function subjectTooLong(
  c: GcpSetupCredential,
  organizationId: string,
  types?: readonly DeploymentType[],
): SubjectTooLong | null {
  const problems = validateSubjectTemplate(c.subjectTemplate)
  if (problems.length > 0)
    throw new KeylessError(
      'usage_error',
      `${label(c)}: subject template ${JSON.stringify(c.subjectTemplate)}: ${problems.join('; ')}`,
    )
  const worst = longest(gcpSubjects(c, organizationId, c.subjectTemplate, types))
  if (bytes(worst) <= GCP_MAX_SUBJECT_BYTES) return null
  const fits = candidates(c.subjectTemplate).find(
    (t) => bytes(longest(gcpSubjects(c, organizationId, t, types))) <= GCP_MAX_SUBJECT_BYTES,
  )
  const how =
    fits === undefined
      ? 'No subject template of keyless fits: use shorter project and environment ids'
      : c.credentialId === undefined
        ? `The subject template ${fits} fits; use --subject-template '${fits}'`
        : `The subject template ${fits} fits; set it on the credential: PATCH /api/v1/credentials/${c.credentialId} {"subjectTemplate": "${fits}"}`
  return {
    credential: c.credentialId ?? c.name ?? c.poolId,
    subject: worst,
    bytes: bytes(worst),
    message: `${label(c)}: the subject ${worst} is ${bytes(worst)} bytes under the template ${c.subjectTemplate}; Google keeps at most ${GCP_MAX_SUBJECT_BYTES} bytes of google.subject and refuses the token exchange. ${how}.`,
    suggestedTemplate: fits ?? null,
  }
}
