import { z } from 'zod'
import { stateBackendSchema, templateTypeSchema } from '../shared/contracts/common.js'
import { ValidationFailed } from '../shared/errors.js'
import { sortableId } from './context.js'
import { recordAudit } from './audit.js'
import { inTransaction, type PlatformContext } from './context.js'
import { loadOrganization, loadTemplate } from './lookup.js'
import { keysetPage, listQuerySchema, type Page, type PageRequest } from './pagination.js'
import { requireRole, type Principal } from './principal.js'
import { toTemplate } from './resources.js'
import { type Template } from '../shared/contracts/resources.js'
import { nameSchema, parseInput } from './validation.js'
import { patchRow } from './patch.js'
import { inOrganization } from './in-organization.js'

export const templateStepSchema = z.strictObject({
  name: nameSchema,
  run: z
    .string()
    .min(1, 'must not be empty')
    .max(16 * 1024),
})

const fields = {
  steps: z.array(templateStepSchema).max(100),
  path: z.string().min(1).max(1024).nullable(),
  repositoryUrl: z.string().min(1).max(2048).nullable(),
  repositoryRef: z.string().min(1).max(256).nullable(),
  stateBackend: stateBackendSchema,
}

export const createTemplateSchema = z.strictObject({
  name: nameSchema,
  type: templateTypeSchema,
  steps: fields.steps.optional(),
  path: fields.path.optional(),
  repositoryUrl: fields.repositoryUrl.optional(),
  repositoryRef: fields.repositoryRef.optional(),
  stateBackend: fields.stateBackend.optional(),
})
export type CreateTemplateInput = z.input<typeof createTemplateSchema>

export const updateTemplateSchema = z.strictObject({
  name: nameSchema.optional(),
  type: templateTypeSchema.optional(),
  steps: fields.steps.optional(),
  path: fields.path.optional(),
  repositoryUrl: fields.repositoryUrl.optional(),
  repositoryRef: fields.repositoryRef.optional(),
  stateBackend: fields.stateBackend.optional(),
})
export type UpdateTemplateInput = z.input<typeof updateTemplateSchema>

function checkShape(t: Template): void {
  const problems = []
  if (t.type === 'custom' && t.steps.length === 0)
    problems.push({ path: 'steps', message: 'a custom template needs at least one step' })
  if (t.type === 'custom' && t.stateBackend !== 'managed')
    problems.push({
      path: 'stateBackend',
      message: 'applies to terraform and opentofu templates only',
    })
  if (t.repositoryRef !== null && t.repositoryUrl === null)
    problems.push({ path: 'repositoryRef', message: 'needs repositoryUrl' })
  if (t.path !== null && t.repositoryUrl !== null && t.path.startsWith('/'))
    problems.push({
      path: 'path',
      message: 'must be relative to the repository when repositoryUrl is set',
    })
  if (problems.length > 0)
    throw new ValidationFailed(
      `invalid template: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    )
}

export function templatesService(ctx: PlatformContext) {
  return {
    async create(
      principal: Principal,
      organizationId: string,
      input: CreateTemplateInput,
    ): Promise<Template> {
      const data = parseInput(createTemplateSchema, input)
      return inOrganization(ctx, principal, organizationId, 'admin', async (trx, org) => {
        const now = ctx.now()
        const row = {
          id: sortableId('tpl', ctx.clock),
          organization_id: org.id,
          name: data.name,
          type: data.type,
          steps: JSON.stringify(data.steps ?? []),
          path: data.path ?? null,
          repository_url: data.repositoryUrl ?? null,
          repository_ref: data.repositoryRef ?? null,
          state_backend: data.stateBackend ?? 'managed',
          created_at: now,
          updated_at: now,
        }
        const template = toTemplate(row)
        checkShape(template)
        await trx.insertInto('templates').values(row).execute()
        await recordAudit(ctx, trx, principal, {
          action: 'template.created',
          organizationId: org.id,
          details: { templateId: row.id, name: row.name, type: row.type },
        })
        return template
      })
    },

    async get(principal: Principal, id: string): Promise<Template> {
      return toTemplate(await loadTemplate(ctx.db, principal, id))
    },

    async list(
      principal: Principal,
      organizationId: string,
      page: PageRequest = {},
    ): Promise<Page<Template>> {
      const q = parseInput(listQuerySchema, page, 'query')
      const org = await loadOrganization(ctx.db, principal, organizationId)
      requireRole(principal, org.id, 'viewer', 'organization', organizationId)
      const select = ctx.db
        .selectFrom('templates')
        .selectAll()
        .where('organization_id', '=', org.id)
      return keysetPage(select, q, 'asc', toTemplate)
    },

    async update(principal: Principal, id: string, input: UpdateTemplateInput): Promise<Template> {
      const data = parseInput(updateTemplateSchema, input)
      return inTransaction(ctx, async (trx) => {
        const row = await loadTemplate(trx, principal, id)
        requireRole(principal, row.organization_id, 'admin', 'template', id)
        const { next, set } = patchRow(row, {
          name: data.name,
          type: data.type,
          steps: data.steps === undefined ? undefined : JSON.stringify(data.steps),
          path: data.path,
          repository_url: data.repositoryUrl,
          repository_ref: data.repositoryRef,
          state_backend: data.stateBackend,
          updated_at: ctx.now(),
        })
        const template = toTemplate(next)
        checkShape(template)
        await trx.updateTable('templates').set(set).where('id', '=', id).execute()
        await recordAudit(ctx, trx, principal, {
          action: 'template.updated',
          organizationId: row.organization_id,
          details: { templateId: id, changed: Object.keys(data) },
        })
        return template
      })
    },
  }
}
