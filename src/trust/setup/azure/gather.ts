/**
 * What `keyless setup azure` reads from the control plane (the CLI through the REST API, the
 * console's route through the platform): the organization's azure-oidc credentials, each with the
 * environments whose tokens use it — the chosen projects and environments, or by default every
 * environment of the projects the credential is assigned to.
 */
import type { Credential, Environment, Template } from '../../../shared/contracts/resources.js'
import { KeylessError } from '../../../shared/errors.js'
import { noEnvironmentNote } from '../no-environment-note.js'
import type { AzureSetupCredential, AzureSetupScope } from './model.js'

export interface AzureSetupSource {
  credentials(organizationId: string): Promise<readonly Credential[]>
  templates(organizationId: string): Promise<readonly Template[]>
  projectIds(organizationId: string): Promise<readonly string[]>
  environments(projectId: string): Promise<readonly Environment[]>
}

export interface AzureSelection {
  readonly organizationId: string
  /** The credentials to set up; default every azure-oidc credential of the organization. */
  readonly credentialIds?: readonly string[]
  readonly projectIds?: readonly string[]
  readonly environmentIds?: readonly string[]
}

export interface GatheredSetup {
  readonly credentials: AzureSetupCredential[]
  /** What the user may want to know (a chosen project the credential is not assigned to). */
  readonly notes: string[]
}

type AzureCredential = Extract<Credential, { type: 'azure-oidc' }>

async function chosenCredentials(
  source: AzureSetupSource,
  selection: AzureSelection,
): Promise<AzureCredential[]> {
  const all = (await source.credentials(selection.organizationId)).filter(
    (c): c is AzureCredential => c.type === 'azure-oidc',
  )
  const wanted = selection.credentialIds ?? []
  for (const id of wanted)
    if (!all.some((c) => c.id === id))
      throw new KeylessError(
        'not_found',
        `credential ${id} is not an azure-oidc credential of organization ${selection.organizationId}`,
      )
  const chosen = wanted.length === 0 ? all : all.filter((c) => wanted.includes(c.id))
  if (chosen.length === 0)
    throw new KeylessError(
      'not_found',
      `organization ${selection.organizationId} has no azure-oidc credential: create one and assign it to a project (docs/azure.md)`,
    )
  return chosen
}

/** Environments by id across the organization's projects, read only when some are chosen. */
async function environmentIndex(
  source: AzureSetupSource,
  selection: AzureSelection,
): Promise<Map<string, Environment>> {
  const index = new Map<string, Environment>()
  const wanted = selection.environmentIds ?? []
  if (wanted.length === 0) return index
  for (const p of await source.projectIds(selection.organizationId))
    for (const e of await source.environments(p)) index.set(e.id, e)
  for (const id of wanted)
    if (!index.has(id))
      throw new KeylessError(
        'not_found',
        `environment ${id} is not in organization ${selection.organizationId}`,
      )
  return index
}

function scopeOf(e: Environment, templates: ReadonlyMap<string, Template>): AzureSetupScope {
  const type = templates.get(e.templateId)?.type
  return {
    projectId: e.projectId,
    environmentId: e.id,
    templateId: e.templateId,
    ...(type === undefined ? {} : { templateType: type }),
  }
}

/** The credentials to set up, each with its scopes. */
export async function gatherAzureSetup(
  source: AzureSetupSource,
  selection: AzureSelection,
): Promise<GatheredSetup> {
  const credentials = await chosenCredentials(source, selection)
  const templates = new Map(
    (await source.templates(selection.organizationId)).map((t) => [t.id, t]),
  )
  const index = await environmentIndex(source, selection)
  const chosenProjects = selection.projectIds ?? []
  const chosenEnvs = selection.environmentIds ?? []
  const explicit = chosenProjects.length > 0 || chosenEnvs.length > 0
  const known = new Set(explicit ? await source.projectIds(selection.organizationId) : [])
  for (const p of chosenProjects)
    if (!known.has(p))
      throw new KeylessError(
        'not_found',
        `project ${p} is not in organization ${selection.organizationId}`,
      )
  const notes: string[] = []
  const out: AzureSetupCredential[] = []
  for (const c of credentials) {
    const projects = explicit ? chosenProjects : c.projectIds
    const envs: Environment[] = []
    for (const p of projects) envs.push(...(await source.environments(p)))
    for (const id of chosenEnvs) {
      const e = index.get(id)
      if (e !== undefined && !envs.some((x) => x.id === id)) envs.push(e)
    }
    for (const p of new Set(envs.map((e) => e.projectId)))
      if (!c.projectIds.includes(p))
        notes.push(
          `credential ${c.name} is not assigned to project ${p}: its deployments get no Azure token until it is (PUT /api/v1/projects/${p}/credentials/${c.id})`,
        )
    if (envs.length === 0) notes.push(noEnvironmentNote(c))
    out.push({
      credentialId: c.id,
      name: c.name,
      clientId: c.clientId,
      planClientId: c.planClientId,
      audience: c.audience,
      subjectTemplate: c.subjectTemplate,
      scopes: envs.map((e) => scopeOf(e, templates)),
    })
  }
  return { credentials: out, notes }
}
