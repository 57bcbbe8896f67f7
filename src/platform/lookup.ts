import type {
  CredentialRow,
  DeploymentRow,
  EnvironmentRow,
  OrganizationRow,
  ProjectRow,
  TemplateRow,
} from '../store/platform-tables.js'
import type { Tx } from './context.js'
import { canSee, notFound, type Principal } from './principal.js'

/**
 * Loaders that fetch one object and check the principal may see its organization. A foreign
 * organization's object is reported as not found, exactly like a missing one.
 */

function visible<R extends { organization_id: string }>(
  row: R | undefined,
  principal: Principal,
  what: string,
  id: string,
): R {
  if (row === undefined || !canSee(principal, row.organization_id)) throw notFound(what, id)
  return row
}

export async function loadOrganization(
  db: Tx,
  principal: Principal,
  id: string,
): Promise<OrganizationRow> {
  const row = await db
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
  if (row === undefined || !canSee(principal, row.id)) throw notFound('organization', id)
  return row
}

export async function loadProject(db: Tx, principal: Principal, id: string): Promise<ProjectRow> {
  const row = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst()
  return visible(row, principal, 'project', id)
}

export async function loadTemplate(db: Tx, principal: Principal, id: string): Promise<TemplateRow> {
  const row = await db.selectFrom('templates').selectAll().where('id', '=', id).executeTakeFirst()
  return visible(row, principal, 'template', id)
}

export async function loadEnvironment(
  db: Tx,
  principal: Principal,
  id: string,
): Promise<EnvironmentRow> {
  const row = await db
    .selectFrom('environments')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
  return visible(row, principal, 'environment', id)
}

export async function loadCredential(
  db: Tx,
  principal: Principal,
  id: string,
): Promise<CredentialRow> {
  const row = await db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst()
  return visible(row, principal, 'credential', id)
}

export async function loadDeployment(
  db: Tx,
  principal: Principal,
  id: string,
): Promise<DeploymentRow> {
  const row = await db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst()
  return visible(row, principal, 'deployment', id)
}
