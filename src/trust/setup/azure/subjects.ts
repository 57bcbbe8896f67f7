/**
 * The subjects an azure-oidc credential's tokens carry, scope by scope: the credential's subject
 * template rendered for each environment, deployment type and run phase a deployment can have.
 * Entra matches `sub` exactly, so every distinct subject needs its own federated credential.
 */
import {
  DEPLOYMENT_TYPES,
  type DeploymentType,
  type RunPhase,
  type TemplateType,
} from '../../../shared/contracts/common.js'
import { KeylessError } from '../../../shared/errors.js'
import {
  AZURE_DEFAULT_SUBJECT_TEMPLATE,
  renderSubject,
  validateSubjectTemplate,
} from '../../../shared/subject-template.js'
import { defaultRunPhase } from '../../../shared/token-context.js'
import type { AdmittedToken, AzureSetupCredential, AzureSetupScope } from './model.js'

/** The run phases of a deployment type (docs/state.md): a Terraform deploy plans, then applies. */
export function runPhasesOf(type: DeploymentType, templateType?: TemplateType): RunPhase[] {
  if (templateType === 'custom') return [defaultRunPhase(type)]
  return type === 'deploy' || type === 'destroy' ? ['plan', 'apply'] : [defaultRunPhase(type)]
}

export function templateOf(credential: Pick<AzureSetupCredential, 'subjectTemplate'>): string {
  return credential.subjectTemplate ?? AZURE_DEFAULT_SUBJECT_TEMPLATE
}

/** A token a scope can present, with its rendered subject. */
export interface ScopedSubject {
  readonly subject: string
  readonly token: AdmittedToken
}

function checkTemplate(template: string, who: string): void {
  const problems = validateSubjectTemplate(template)
  if (problems.length > 0)
    throw new KeylessError(
      'usage_error',
      `${who}: subject template ${JSON.stringify(template)}: ${problems.join('; ')}`,
    )
  if (template.includes('{deploymentId}'))
    throw new KeylessError(
      'usage_error',
      `${who}: subject template ${JSON.stringify(template)} has {deploymentId}: every deployment has its own subject, and Entra matches sub exactly (no wildcards), so no federated credential can be created in advance. Use a template without it, e.g. ${AZURE_DEFAULT_SUBJECT_TEMPLATE}`,
    )
}

function valueOf(scope: AzureSetupScope, key: 'environmentId' | 'templateId', template: string) {
  const value = scope[key]
  if (value !== undefined) return value
  if (!template.includes(`{${key}}`)) return ''
  throw new KeylessError(
    'usage_error',
    `the subject template ${JSON.stringify(template)} has {${key}}, but the ${key === 'environmentId' ? 'environments' : 'templates'} of project ${scope.projectId} are not known: give them (--environment), or run against the control plane (--api-key) instead of --issuer`,
  )
}

/** Every (subject, token) a credential's scopes produce, in scope order. */
export function scopedSubjects(
  credential: AzureSetupCredential,
  organizationId: string,
  wanted: readonly DeploymentType[] = [],
  template = templateOf(credential),
): ScopedSubject[] {
  checkTemplate(template, credential.name ?? credential.clientId)
  const types = wanted.length === 0 ? DEPLOYMENT_TYPES : [...new Set(wanted)]
  const out: ScopedSubject[] = []
  for (const scope of credential.scopes) {
    const environmentId = valueOf(scope, 'environmentId', template)
    const templateId = valueOf(scope, 'templateId', template)
    for (const deploymentType of types)
      for (const runPhase of runPhasesOf(deploymentType, scope.templateType)) {
        const subject = renderSubject(template, {
          organizationId,
          projectId: scope.projectId,
          environmentId,
          templateId,
          deploymentType,
          deploymentId: '',
          runPhase,
        })
        out.push({
          subject,
          token: {
            projectId: scope.projectId,
            environmentId: scope.environmentId ?? null,
            deploymentType,
            runPhase,
          },
        })
      }
  }
  return out
}
