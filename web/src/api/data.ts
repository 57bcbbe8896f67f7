import { api, enc, query } from './client'
import type { Environment, Organization, Page, Project, Template } from './types'

/** Follows `nextCursor` until the end (or `maxPages`), for pickers that need every item. */
export async function listAll<T>(path: string, signal?: AbortSignal, maxPages = 20): Promise<T[]> {
  const items: T[] = []
  let cursor: string | null = null
  for (let i = 0; i < maxPages; i++) {
    const sep = path.includes('?') ? '&' : '?'
    const url: string = cursor === null ? path : `${path}${sep}${query({ cursor }).slice(1)}`
    const page: Page<T> = await api.get<Page<T>>(url, signal)
    items.push(...page.items)
    cursor = page.nextCursor
    if (cursor === null || cursor === undefined) break
  }
  return items
}

export interface EnvironmentRef extends Environment {
  readonly project: Project
}

export interface OrgTree {
  readonly organization: Organization
  readonly projects: Project[]
  readonly templates: Template[]
  readonly environments: EnvironmentRef[]
}

/** The organization with its projects, templates and every environment (for pickers). */
export async function loadOrgTree(orgId: string, signal?: AbortSignal): Promise<OrgTree> {
  const [organization, projects, templates] = await Promise.all([
    api.get<Organization>(`/organizations/${enc(orgId)}`, signal),
    listAll<Project>(`/organizations/${enc(orgId)}/projects`, signal),
    listAll<Template>(`/organizations/${enc(orgId)}/templates`, signal),
  ])
  const perProject = await Promise.all(
    projects.map(async (project) =>
      (await listAll<Environment>(`/projects/${enc(project.id)}/environments`, signal)).map(
        (env): EnvironmentRef => ({ ...env, project }),
      ),
    ),
  )
  return { organization, projects, templates, environments: perProject.flat() }
}

export function environmentLabel(env: EnvironmentRef): string {
  return `${env.project.name} / ${env.name}`
}
