import { z } from 'zod'
import { sortableId } from './context.js'
import { DEFAULT_SUBJECT_TEMPLATE } from '../shared/subject-template.js'
import { audienceProblems, defaultAudience } from '../shared/audience.js'
import { KeylessError, ValidationFailed } from '../shared/errors.js'
import type { Tx } from './context.js'
import { isUniqueViolation } from '../store/unique-violation.js'
import { AUDIENCE_INDEX } from '../store/migrations/0003_tenant_boundary.js'
import { recordAudit } from './audit.js'
import { inTransaction, type PlatformContext } from './context.js'
import { loadOrganization } from './lookup.js'
import { keysetPage, listQuerySchema, type Page, type PageRequest } from './pagination.js'
import { requireOwner, requireRole, type Principal } from './principal.js'
import { toOrganization } from './resources.js'
import { type Organization } from '../shared/contracts/resources.js'
import { audienceUsedByAnother } from './credential-audience.js'
import { audienceSchema, nameSchema, parseInput, subjectTemplateSchema } from './validation.js'

export const createOrganizationSchema = z.strictObject({
  name: nameSchema,
  audience: audienceSchema.optional(),
  subjectTemplate: subjectTemplateSchema.optional(),
})
export type CreateOrganizationInput = z.input<typeof createOrganizationSchema>

export const updateOrganizationSchema = z.strictObject({
  name: nameSchema.optional(),
  audience: audienceSchema.optional(),
  subjectTemplate: subjectTemplateSchema.optional(),
  mintingStopped: z.boolean().optional(),
})
export type UpdateOrganizationInput = z.input<typeof updateOrganizationSchema>

/** The audience, or `validation_failed` when it has another organization's default form. */
function checkedAudience(audience: string, organizationId: string): string {
  const problems = audienceProblems(audience, organizationId)
  if (problems.length > 0)
    throw new ValidationFailed(
      `invalid request: audience: ${problems.join('; ')}`,
      problems.map((message) => ({ path: 'audience', message })),
    )
  return audience
}

/**
 * `audience_taken` when another organization has the audience, as its own or as the audience of
 * one of its Azure or GCP credentials. The unique index on organizations.audience (migration 0003)
 * is the guarantee between organizations; this check gives the clear error.
 */
async function requireFreeAudience(trx: Tx, audience: string, organizationId: string) {
  if (await audienceUsedByAnother(trx, audience, organizationId))
    throw audienceTaken(audience, organizationId)
}

function audienceTaken(audience: string, organizationId: string): KeylessError {
  return new KeylessError(
    'audience_taken',
    `audience ${JSON.stringify(audience)} belongs to another organization; every organization needs its own audience (the default is ${JSON.stringify(defaultAudience(organizationId))})`,
    { fields: [{ path: 'audience', message: 'belongs to another organization' }] },
  )
}

/** Runs a change of `audience`; a concurrent writer that took it first gets `audience_taken`. */
async function claimingAudience<T>(
  audience: string,
  organizationId: string,
  change: () => Promise<T>,
): Promise<T> {
  try {
    return await change()
  } catch (error) {
    if (isUniqueViolation(error, AUDIENCE_INDEX)) throw audienceTaken(audience, organizationId)
    throw error
  }
}

export function organizationsService(ctx: PlatformContext) {
  return {
    /** Creates an organization (owner key only). Audience defaults to `aws:<id>`. */
    async create(principal: Principal, input: CreateOrganizationInput): Promise<Organization> {
      requireOwner(principal)
      const data = parseInput(createOrganizationSchema, input)
      const id = sortableId('org', ctx.clock)
      const now = ctx.now()
      const row = {
        id,
        name: data.name,
        audience: checkedAudience(data.audience ?? defaultAudience(id), id),
        subject_template: data.subjectTemplate ?? DEFAULT_SUBJECT_TEMPLATE,
        previous_subject_template: null,
        minting_stopped: 0,
        created_at: now,
        updated_at: now,
      }
      await claimingAudience(row.audience, id, () =>
        inTransaction(ctx, async (trx) => {
          await requireFreeAudience(trx, row.audience, id)
          await trx.insertInto('organizations').values(row).execute()
          await recordAudit(ctx, trx, principal, {
            action: 'organization.created',
            organizationId: id,
            details: {
              name: row.name,
              audience: row.audience,
              subjectTemplate: row.subject_template,
            },
          })
        }),
      )
      return toOrganization(row)
    },

    async get(principal: Principal, id: string): Promise<Organization> {
      const row = await loadOrganization(ctx.db, principal, id)
      requireRole(principal, row.id, 'viewer', 'organization', id)
      return toOrganization(row)
    },

    /** The organizations the principal can see (all of them for the owner). */
    async list(principal: Principal, page: PageRequest = {}): Promise<Page<Organization>> {
      const q = parseInput(listQuerySchema, page, 'query')
      let select = ctx.db.selectFrom('organizations').selectAll()
      if (principal.kind === 'api-key' || principal.kind === 'agent')
        select = select.where('id', '=', principal.organizationId)
      return keysetPage(select, q, 'asc', toOrganization)
    },

    /**
     * Changes name, audience, subject template (the old one is kept as `previousSubjectTemplate`
     * so trust policies can accept both during a migration) or the stop-minting switch. Admin.
     */
    async update(
      principal: Principal,
      id: string,
      input: UpdateOrganizationInput,
    ): Promise<Organization> {
      const data = parseInput(updateOrganizationSchema, input)
      return claimingAudience(data.audience ?? '', id, () =>
        inTransaction(ctx, async (trx) => {
          const row = await loadOrganization(trx, principal, id)
          requireRole(principal, row.id, 'admin', 'organization', id)
          const next = { ...row, updated_at: ctx.now() }
          if (data.name !== undefined) next.name = data.name
          if (data.audience !== undefined && data.audience !== row.audience) {
            next.audience = checkedAudience(data.audience, row.id)
            await requireFreeAudience(trx, next.audience, row.id)
          }
          if (data.subjectTemplate !== undefined && data.subjectTemplate !== row.subject_template) {
            next.previous_subject_template = row.subject_template
            next.subject_template = data.subjectTemplate
          }
          if (data.mintingStopped !== undefined) next.minting_stopped = data.mintingStopped ? 1 : 0
          await trx
            .updateTable('organizations')
            .set({
              name: next.name,
              audience: next.audience,
              subject_template: next.subject_template,
              previous_subject_template: next.previous_subject_template,
              minting_stopped: next.minting_stopped,
              updated_at: next.updated_at,
            })
            .where('id', '=', row.id)
            .execute()
          const changed: Record<string, unknown> = {}
          for (const key of Object.keys(data) as Array<keyof typeof data>) changed[key] = data[key]
          await recordAudit(ctx, trx, principal, {
            action:
              data.mintingStopped === undefined
                ? 'organization.updated'
                : data.mintingStopped
                  ? 'organization.minting_stopped'
                  : 'organization.minting_resumed',
            organizationId: row.id,
            details: { changed },
          })
          return toOrganization(next)
        }),
      )
    },
  }
}
