/**
 * Entra keeps at most 20 federated credentials per application or managed identity. When a setup
 * needs more, say why (how many environments, how many subjects each and the placeholders that
 * multiply them) and find a subject template under which it fits: the same template without
 * {runPhase} and/or {deploymentType}, keyless's Azure default (one per environment), or one per
 * project.
 */
import { MAX_FICS } from '../../../federation/azure/fic.js'
import {
  AZURE_DEFAULT_SUBJECT_TEMPLATE,
  validateSubjectTemplate,
} from '../../../shared/subject-template.js'
import { draftApplications } from './applications.js'
import type { ApplicationPlan, AzureSetupInput, OverLimit } from './model.js'

export const PER_PROJECT_TEMPLATE = 'org:{organizationId}:project:{projectId}'

/** The template without the `:label:{name}` segments (or the bare placeholders) of `names`. */
export function dropPlaceholders(template: string, names: readonly string[]): string {
  const parts = template.split(':')
  const out: string[] = []
  for (const part of parts) {
    if (!names.some((n) => part.includes(`{${n}}`))) {
      out.push(part)
      continue
    }
    const rest = names.reduce((p, n) => p.replaceAll(`{${n}}`, ''), part)
    if (/[A-Za-z0-9{]/u.test(rest)) out.push(rest)
    else if (out.length > 2 && !(out[out.length - 1] ?? '').includes('{')) out.pop()
  }
  return out.join(':')
}

function candidates(template: string): string[] {
  const all = [
    dropPlaceholders(template, ['runPhase']),
    dropPlaceholders(template, ['deploymentType']),
    dropPlaceholders(template, ['runPhase', 'deploymentType']),
    dropPlaceholders(template, ['runPhase', 'deploymentType', 'templateId']),
    AZURE_DEFAULT_SUBJECT_TEMPLATE,
    PER_PROJECT_TEMPLATE,
  ]
  return [...new Set(all)].filter(
    (t) =>
      t !== template && !t.includes('{deploymentId}') && validateSubjectTemplate(t).length === 0,
  )
}

/** The FIC count of each application under a template given to the application's credentials. */
function countsWith(input: AzureSetupInput, app: ApplicationPlan, template: string) {
  const ids = new Set(app.credentials.map((c) => c.id))
  const credentials = input.credentials.map((c) =>
    ids.has(c.credentialId ?? null) ? { ...c, subjectTemplate: template } : c,
  )
  return draftApplications({ ...input, credentials })
}

function multipliers(template: string): string[] {
  return ['deploymentType', 'runPhase', 'templateId'].filter((p) => template.includes(`{${p}}`))
}

function why(app: ApplicationPlan): string {
  const envs = new Set(
    app.fics.flatMap((f) => f.admits.map((a) => `${a.projectId}/${a.environmentId ?? ''}`)),
  )
  const template = app.subjectTemplates.join(' and ')
  const extra = app.subjectTemplates.flatMap(multipliers)
  return `${envs.size} environment${envs.size === 1 ? '' : 's'}${extra.length === 0 ? '' : `, several subjects each because the subject template ${template} has ${[...new Set(extra)].map((p) => `{${p}}`).join(' and ')}`}`
}

function scopeWords(template: string): string {
  if (template.includes('{environmentId}')) return 'one per environment'
  return 'one per project: every environment of a project then signs in as the same application'
}

function overLimitOf(input: AzureSetupInput, app: ApplicationPlan): OverLimit {
  const who =
    app.credentials.length === 1 && app.credentials[0]?.name !== null
      ? ` (credential ${app.credentials[0]?.name ?? ''})`
      : ''
  const head = `application ${app.clientId}${who} needs ${app.fics.length} federated identity credentials (${why(app)}); Entra allows at most ${MAX_FICS} per application or managed identity.`
  for (const template of candidates(app.subjectTemplates[0] ?? AZURE_DEFAULT_SUBJECT_TEMPLATE)) {
    const apps = countsWith(input, app, template)
    const worst = Math.max(0, ...apps.map((a) => a.fics.length))
    if (worst > MAX_FICS) continue
    const mine = apps.find((a) => a.clientId === app.clientId)?.fics.length ?? 0
    const ids = app.credentials.map((c) => c.id).filter((id) => id !== null)
    const patch =
      ids.length === 0
        ? `use --subject-template '${template}'`
        : `set it on the credential: PATCH /api/v1/credentials/${ids.join(', ')} {"subjectTemplate": "${template}"}`
    return {
      clientId: app.clientId,
      needed: app.fics.length,
      message: `${head} The subject template ${template} fits (${mine}, ${scopeWords(template)}); ${patch}.`,
      suggestedTemplate: template,
      suggestedCount: mine,
    }
  }
  return {
    clientId: app.clientId,
    needed: app.fics.length,
    message: `${head} No subject template fits: give the environments several applications (one azure-oidc credential per project), or choose fewer with --project/--environment.`,
    suggestedTemplate: null,
    suggestedCount: null,
  }
}

/** The applications over Entra's limit, each with its reason and a template that fits. */
export function overLimits(
  input: AzureSetupInput,
  applications: readonly ApplicationPlan[],
): OverLimit[] {
  return applications.filter((a) => a.fics.length > MAX_FICS).map((a) => overLimitOf(input, a))
}
