import { z } from 'zod'
import { sortableId } from './context.js'
import { recordAudit } from './audit.js'
import { inTransaction, type PlatformContext } from './context.js'
import { loadOrganization, loadProject } from './lookup.js'
import { keysetPage, listQuerySchema, type Page, type PageRequest } from './pagination.js'
import { requireRole, type Principal } from './principal.js'
import { toProject } from './resources.js'
import { type Project } from '../shared/contracts/resources.js'
import { descriptionSchema, nameSchema, parseInput } from './validation.js'
import { patchRow } from './patch.js'
import { inOrganization } from './in-organization.js'

export const createProjectSchema = z.strictObject({
  name: nameSchema,
  description: descriptionSchema.nullable().optional(),
})
export type CreateProjectInput = z.input<typeof createProjectSchema>

export const updateProjectSchema = z.strictObject({
  name: nameSchema.optional(),
  description: descriptionSchema.nullable().optional(),
})
export type UpdateProjectInput = z.input<typeof updateProjectSchema>

export function projectsService(ctx: PlatformContext) {
  return {
    async create(
      principal: Principal,
      organizationId: string,
      input: CreateProjectInput,
    ): Promise<Project> {
      const data = parseInput(createProjectSchema, input)
      return inOrganization(ctx, principal, organizationId, 'admin', async (trx, org) => {
        const now = ctx.now()
        const row = {
          id: sortableId('prj', ctx.clock),
          organization_id: org.id,
          name: data.name,
          description: data.description ?? null,
          created_at: now,
          updated_at: now,
        }
        await trx.insertInto('projects').values(row).execute()
        await recordAudit(ctx, trx, principal, {
          action: 'project.created',
          organizationId: org.id,
          details: { projectId: row.id, name: row.name },
        })
        return toProject(row)
      })
    },

    async get(principal: Principal, id: string): Promise<Project> {
      return toProject(await loadProject(ctx.db, principal, id))
    },

    async list(
      principal: Principal,
      organizationId: string,
      page: PageRequest = {},
    ): Promise<Page<Project>> {
      const q = parseInput(listQuerySchema, page, 'query')
      const org = await loadOrganization(ctx.db, principal, organizationId)
      requireRole(principal, org.id, 'viewer', 'organization', organizationId)
      const select = ctx.db.selectFrom('projects').selectAll().where('organization_id', '=', org.id)
      return keysetPage(select, q, 'asc', toProject)
    },

    async update(principal: Principal, id: string, input: UpdateProjectInput): Promise<Project> {
      const data = parseInput(updateProjectSchema, input)
      return inTransaction(ctx, async (trx) => {
        const row = await loadProject(trx, principal, id)
        requireRole(principal, row.organization_id, 'admin', 'project', id)
        const { next, set } = patchRow(row, {
          name: data.name,
          description: data.description,
          updated_at: ctx.now(),
        })
        await trx.updateTable('projects').set(set).where('id', '=', id).execute()
        await recordAudit(ctx, trx, principal, {
          action: 'project.updated',
          organizationId: row.organization_id,
          details: { projectId: id, changed: Object.keys(data) },
        })
        return toProject(next)
      })
    },
  }
}
