import { z } from 'zod'
import { KeylessError } from '../shared/errors.js'
import { sortableId } from './context.js'
import { recordAudit } from './audit.js'
import { inTransaction, type PlatformContext } from './context.js'
import { loadEnvironment, loadProject, loadTemplate } from './lookup.js'
import { keysetPage, listQuerySchema, type Page, type PageRequest } from './pagination.js'
import { requireRole, type Principal } from './principal.js'
import { toEnvironment } from './resources.js'
import { type Environment } from '../shared/contracts/resources.js'
import { idSchema, nameSchema, parseInput, roleArnSchema } from './validation.js'
import { flag, patchRow } from './patch.js'

export const createEnvironmentSchema = z.strictObject({
  name: nameSchema,
  templateId: idSchema,
  roleArnOverride: roleArnSchema.nullable().optional(),
  requiresApproval: z.boolean().optional(),
})
export type CreateEnvironmentInput = z.input<typeof createEnvironmentSchema>

export const updateEnvironmentSchema = z.strictObject({
  name: nameSchema.optional(),
  templateId: idSchema.optional(),
  roleArnOverride: roleArnSchema.nullable().optional(),
  requiresApproval: z.boolean().optional(),
})
export type UpdateEnvironmentInput = z.input<typeof updateEnvironmentSchema>

export function environmentsService(ctx: PlatformContext) {
  async function templateInOrg(
    trx: Parameters<typeof loadTemplate>[0],
    principal: Principal,
    templateId: string,
    organizationId: string,
  ): Promise<void> {
    const template = await loadTemplate(trx, principal, templateId).catch(() => undefined)
    if (template?.organization_id !== organizationId)
      throw new KeylessError('not_found', `template ${templateId} not found`, {
        id: templateId,
        field: 'templateId',
      })
  }

  return {
    async create(
      principal: Principal,
      projectId: string,
      input: CreateEnvironmentInput,
    ): Promise<Environment> {
      const data = parseInput(createEnvironmentSchema, input)
      return inTransaction(ctx, async (trx) => {
        const project = await loadProject(trx, principal, projectId)
        requireRole(principal, project.organization_id, 'admin', 'project', projectId)
        await templateInOrg(trx, principal, data.templateId, project.organization_id)
        const now = ctx.now()
        const row = {
          id: sortableId('env', ctx.clock),
          organization_id: project.organization_id,
          project_id: project.id,
          template_id: data.templateId,
          name: data.name,
          role_arn_override: data.roleArnOverride ?? null,
          requires_approval: data.requiresApproval === true ? 1 : 0,
          created_at: now,
          updated_at: now,
        }
        await trx.insertInto('environments').values(row).execute()
        await recordAudit(ctx, trx, principal, {
          action: 'environment.created',
          organizationId: row.organization_id,
          details: {
            environmentId: row.id,
            projectId: row.project_id,
            templateId: row.template_id,
            name: row.name,
          },
        })
        if (row.role_arn_override !== null)
          await recordAudit(ctx, trx, principal, {
            action: 'environment.role_override_set',
            organizationId: row.organization_id,
            details: {
              environmentId: row.id,
              roleArn: row.role_arn_override,
              source: 'environment-override',
            },
          })
        return toEnvironment(row)
      })
    },

    async get(principal: Principal, id: string): Promise<Environment> {
      return toEnvironment(await loadEnvironment(ctx.db, principal, id))
    },

    async list(
      principal: Principal,
      projectId: string,
      page: PageRequest = {},
    ): Promise<Page<Environment>> {
      const q = parseInput(listQuerySchema, page, 'query')
      const project = await loadProject(ctx.db, principal, projectId)
      const select = ctx.db
        .selectFrom('environments')
        .selectAll()
        .where('project_id', '=', project.id)
      return keysetPage(select, q, 'asc', toEnvironment)
    },

    /** Changes name, template or the typed role override (audited with its source). Admin. */
    async update(
      principal: Principal,
      id: string,
      input: UpdateEnvironmentInput,
    ): Promise<Environment> {
      const data = parseInput(updateEnvironmentSchema, input)
      return inTransaction(ctx, async (trx) => {
        const row = await loadEnvironment(trx, principal, id)
        requireRole(principal, row.organization_id, 'admin', 'environment', id)
        if (data.templateId !== undefined)
          await templateInOrg(trx, principal, data.templateId, row.organization_id)
        const { next, set } = patchRow(row, {
          name: data.name,
          template_id: data.templateId,
          role_arn_override: data.roleArnOverride,
          requires_approval: flag(data.requiresApproval),
          updated_at: ctx.now(),
        })
        await trx.updateTable('environments').set(set).where('id', '=', id).execute()
        await recordAudit(ctx, trx, principal, {
          action: 'environment.updated',
          organizationId: row.organization_id,
          details: { environmentId: id, changed: Object.keys(data) },
        })
        if (next.role_arn_override !== row.role_arn_override)
          await recordAudit(ctx, trx, principal, {
            action:
              next.role_arn_override === null
                ? 'environment.role_override_cleared'
                : 'environment.role_override_set',
            organizationId: row.organization_id,
            details: {
              environmentId: id,
              roleArn: next.role_arn_override,
              previousRoleArn: row.role_arn_override,
              source: 'environment-override',
            },
          })
        return toEnvironment(next)
      })
    },
  }
}
