import { environments } from './environments'
import { organizations } from './organizations'
import { projects } from './projects'
import { templates } from './templates'
import type { Environment, Organization, Project, Template } from './types'

export interface EnvironmentRef extends Environment {
  readonly project: Project
}

export interface OrgTree {
  readonly organization: Organization
  readonly projects: Project[]
  readonly templates: Template[]
  readonly environments: EnvironmentRef[]
}

/** The organization with its projects, templates and every environment (for pickers and names). */
export async function loadOrgTree(orgId: string, signal?: AbortSignal): Promise<OrgTree> {
  const [organization, projectList, templateList] = await Promise.all([
    organizations.get(orgId, signal),
    projects.list(orgId, signal),
    templates.list(orgId, signal),
  ])
  const perProject = await Promise.all(
    projectList.map(async (project) =>
      (await environments.list(project.id, signal)).map((env): EnvironmentRef => ({
        ...env,
        project,
      })),
    ),
  )
  return {
    organization,
    projects: projectList,
    templates: templateList,
    environments: perProject.flat(),
  }
}

export function environmentLabel(env: EnvironmentRef): string {
  return `${env.project.name} / ${env.name}`
}
