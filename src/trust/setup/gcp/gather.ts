/**
 * What `keyless setup gcp` reads from the control plane: the organization's gcp-oidc credentials,
 * each with the environments whose tokens use it (the chosen projects and environments, or every
 * environment of the projects it is assigned to) and the subject template of its tokens.
 */
import type { Credential, Environment, Template } from '../../../shared/contracts/resources.js'
import { KeylessError } from '../../../shared/errors.js'
import type { AzureSelection, AzureSetupSource } from '../azure/gather.js'
import type { AzureSetupScope } from '../azure/model.js'
import type { GcpSetupCredential } from './model.js'
import { noEnvironmentNote } from '../no-environment-note.js'

type GcpCredential = Extract<Credential, { type: 'gcp-oidc' }>

export interface GatheredGcpSetup {
  readonly credentials: GcpSetupCredential[]
  readonly notes: string[]
}

async function chosen(source: AzureSetupSource, s: AzureSelection): Promise<GcpCredential[]> {
  const all = (await source.credentials(s.organizationId)).filter(
    (c): c is GcpCredential => c.type === 'gcp-oidc',
  )
  const wanted = s.credentialIds ?? []
  const missing = wanted.find((id) => !all.some((c) => c.id === id))
  if (missing !== undefined)
    throw new KeylessError(
      'not_found',
      `credential ${missing} is not a gcp-oidc credential of organization ${s.organizationId}`,
    )
  const out = wanted.length === 0 ? all : all.filter((c) => wanted.includes(c.id))
  if (out.length === 0)
    throw new KeylessError(
      'not_found',
      `organization ${s.organizationId} has no gcp-oidc credential: create one and assign it to a project (docs/gcp.md)`,
    )
  return out
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

/** Environments of the projects (chosen, else the credential's), narrowed to chosen ones. */
async function environmentsOf(
  source: AzureSetupSource,
  s: AzureSelection,
  c: GcpCredential,
): Promise<Environment[]> {
  const projects = (s.projectIds ?? []).length > 0 ? (s.projectIds ?? []) : c.projectIds
  const envs: Environment[] = []
  for (const p of projects) envs.push(...(await source.environments(p)))
  const wanted = s.environmentIds ?? []
  return wanted.length === 0 ? envs : envs.filter((e) => wanted.includes(e.id))
}

/** The credentials to set up, each with its scopes and subject template. */
export async function gatherGcpSetup(
  source: AzureSetupSource,
  selection: AzureSelection,
  organizationTemplate: string,
): Promise<GatheredGcpSetup> {
  const credentials = await chosen(source, selection)
  const templates = new Map(
    (await source.templates(selection.organizationId)).map((t) => [t.id, t]),
  )
  const known = new Set(await source.projectIds(selection.organizationId))
  for (const p of selection.projectIds ?? [])
    if (!known.has(p))
      throw new KeylessError(
        'not_found',
        `project ${p} is not in organization ${selection.organizationId}`,
      )
  const notes: string[] = []
  const out: GcpSetupCredential[] = []
  for (const c of credentials) {
    const envs = await environmentsOf(source, selection, c)
    for (const p of new Set(envs.map((e) => e.projectId)))
      if (!c.projectIds.includes(p))
        notes.push(
          `credential ${c.name} is not assigned to project ${p}: its deployments get no GCP token until it is (PUT /api/v1/projects/${p}/credentials/${c.id})`,
        )
    if (envs.length === 0) notes.push(noEnvironmentNote(c))
    if (c.serviceAccountEmail === null && c.planServiceAccountEmail === null)
      notes.push(directAccessNote(c.name))
    out.push({
      credentialId: c.id,
      name: c.name,
      projectNumber: c.projectNumber,
      gcpProjectId: c.gcpProjectId,
      poolId: c.poolId,
      providerId: c.providerId,
      serviceAccountEmail: c.serviceAccountEmail,
      planServiceAccountEmail: c.planServiceAccountEmail,
      audience: c.audience,
      subjectTemplate: c.subjectTemplate ?? organizationTemplate,
      scopes: envs.map((e) => scopeOf(e, templates)),
    })
  }
  return { credentials: out, notes }
}

/** Why a credential without a service account gets a pool and provider but no binding. */
export function directAccessNote(credential: string): string {
  return `credential ${credential} has no service account: no roles/iam.workloadIdentityUser binding is planned; its deployments use the federated identity directly (direct resource access), so grant roles on the resources to the pool's principal set (docs/gcp.md)`
}
