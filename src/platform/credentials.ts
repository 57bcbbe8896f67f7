import { z } from 'zod'
import { KeylessError } from '../shared/errors.js'
import { sortableId } from './context.js'
import type { CredentialRow } from '../store/platform-tables.js'
import { recordAudit } from './audit.js'
import { inTransaction, type PlatformContext, type Tx } from './context.js'
import { loadCredential, loadOrganization, loadProject } from './lookup.js'
import { keysetPage, listQuerySchema, type Page, type PageRequest } from './pagination.js'
import { notFound, requireRole, type Principal } from './principal.js'
import { toCredential } from './resources.js'
import { type Credential } from '../shared/contracts/resources.js'
import {
  durationSchema,
  httpUrlSchema,
  idSchema,
  nameSchema,
  parseInput,
  regionSchema,
  roleArnSchema,
} from './validation.js'
import { flag, patchRow } from './patch.js'
import { inOrganization } from './in-organization.js'

export const createCredentialSchema = z.strictObject({
  name: nameSchema,
  type: z.literal('aws-oidc').default('aws-oidc'),
  /** Set to make the credential project-scoped (usable by that project only). */
  projectId: idSchema.nullable().optional(),
  roleArn: roleArnSchema,
  durationSeconds: durationSchema.default(3600),
  planRoleArn: roleArnSchema.nullable().optional(),
  region: regionSchema.default('us-east-1'),
  stsEndpoint: httpUrlSchema.nullable().optional(),
  sessionTags: z.boolean().default(true),
  refresh: z.boolean().default(true),
})
export type CreateCredentialInput = z.input<typeof createCredentialSchema>

export const updateCredentialSchema = z.strictObject({
  name: nameSchema.optional(),
  roleArn: roleArnSchema.optional(),
  durationSeconds: durationSchema.optional(),
  planRoleArn: roleArnSchema.nullable().optional(),
  region: regionSchema.optional(),
  stsEndpoint: httpUrlSchema.nullable().optional(),
  sessionTags: z.boolean().optional(),
  refresh: z.boolean().optional(),
})
export type UpdateCredentialInput = z.input<typeof updateCredentialSchema>

/** The projects each credential is assigned to. */
async function assignmentsOf(db: Tx, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  if (ids.length === 0) return out
  const rows = await db
    .selectFrom('credential_assignments')
    .select(['credential_id', 'project_id'])
    .where('credential_id', 'in', [...ids])
    .orderBy('created_at')
    .execute()
  for (const r of rows)
    out.set(r.credential_id, [...(out.get(r.credential_id) ?? []), r.project_id])
  return out
}

async function withAssignments(db: Tx, rows: readonly CredentialRow[]): Promise<Credential[]> {
  const map = await assignmentsOf(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => toCredential(r, map.get(r.id) ?? []))
}

function auditView(row: CredentialRow): Record<string, unknown> {
  const c = toCredential(row)
  return {
    credentialId: c.id,
    name: c.name,
    scope: c.scope,
    projectId: c.projectId,
    roleArn: c.roleArn,
    durationSeconds: c.durationSeconds,
    planRoleArn: c.planRoleArn,
    region: c.region,
    stsEndpoint: c.stsEndpoint,
    sessionTags: c.sessionTags,
    refresh: c.refresh,
  }
}

export function credentialsService(ctx: PlatformContext) {
  return {
    async create(
      principal: Principal,
      organizationId: string,
      input: CreateCredentialInput,
    ): Promise<Credential> {
      const data = parseInput(createCredentialSchema, input)
      return inOrganization(ctx, principal, organizationId, 'admin', async (trx, org) => {
        const projectId = data.projectId ?? null
        if (projectId !== null) {
          const project = await loadProject(trx, principal, projectId)
          if (project.organization_id !== org.id) throw notFound('project', projectId)
        }
        const now = ctx.now()
        const row: CredentialRow = {
          id: sortableId('cred', ctx.clock),
          organization_id: org.id,
          scope: projectId === null ? 'organization' : 'project',
          project_id: projectId,
          name: data.name,
          type: data.type,
          role_arn: data.roleArn,
          duration_seconds: data.durationSeconds,
          plan_role_arn: data.planRoleArn ?? null,
          region: data.region,
          sts_endpoint: data.stsEndpoint ?? null,
          session_tags: data.sessionTags ? 1 : 0,
          refresh: data.refresh ? 1 : 0,
          created_at: now,
          updated_at: now,
        }
        await trx.insertInto('credentials').values(row).execute()
        await recordAudit(ctx, trx, principal, {
          action: 'credential.created',
          organizationId: org.id,
          details: auditView(row),
        })
        return toCredential(row)
      })
    },

    async get(principal: Principal, id: string): Promise<Credential> {
      const [credential] = await withAssignments(ctx.db, [
        await loadCredential(ctx.db, principal, id),
      ])
      return credential as Credential
    },

    async list(
      principal: Principal,
      organizationId: string,
      page: PageRequest = {},
    ): Promise<Page<Credential>> {
      const q = parseInput(listQuerySchema, page, 'query')
      const org = await loadOrganization(ctx.db, principal, organizationId)
      requireRole(principal, org.id, 'viewer', 'organization', organizationId)
      const select = ctx.db
        .selectFrom('credentials')
        .selectAll()
        .where('organization_id', '=', org.id)
      const found = await keysetPage(select, q, 'asc', (r) => r)
      return { items: await withAssignments(ctx.db, found.items), nextCursor: found.nextCursor }
    },

    /** The credential assigned to a project (at most one), as a list. */
    async listForProject(principal: Principal, projectId: string): Promise<Page<Credential>> {
      const project = await loadProject(ctx.db, principal, projectId)
      const rows = await ctx.db
        .selectFrom('credential_assignments')
        .innerJoin('credentials', 'credentials.id', 'credential_assignments.credential_id')
        .selectAll('credentials')
        .where('credential_assignments.project_id', '=', project.id)
        .execute()
      return { items: await withAssignments(ctx.db, rows), nextCursor: null }
    },

    async update(
      principal: Principal,
      id: string,
      input: UpdateCredentialInput,
    ): Promise<Credential> {
      const data = parseInput(updateCredentialSchema, input)
      return inTransaction(ctx, async (trx) => {
        const row = await loadCredential(trx, principal, id)
        requireRole(principal, row.organization_id, 'admin', 'credential', id)
        const { next, set } = patchRow<CredentialRow>(row, {
          name: data.name,
          role_arn: data.roleArn,
          duration_seconds: data.durationSeconds,
          plan_role_arn: data.planRoleArn,
          region: data.region,
          sts_endpoint: data.stsEndpoint,
          session_tags: flag(data.sessionTags),
          refresh: flag(data.refresh),
          updated_at: ctx.now(),
        })
        await trx.updateTable('credentials').set(set).where('id', '=', id).execute()
        await recordAudit(ctx, trx, principal, {
          action: 'credential.updated',
          organizationId: row.organization_id,
          details: { ...auditView(next), changed: Object.keys(data) },
        })
        const [credential] = await withAssignments(trx, [next])
        return credential as Credential
      })
    },

    /**
     * Assigns a credential to a project. A project has at most one AWS credential: a new
     * assignment replaces the previous one (both are in the audit log).
     */
    async assign(principal: Principal, projectId: string, credentialId: string): Promise<void> {
      await inTransaction(ctx, async (trx) => {
        const project = await loadProject(trx, principal, projectId)
        requireRole(principal, project.organization_id, 'admin', 'project', projectId)
        const credential = await loadCredential(trx, principal, credentialId)
        if (credential.organization_id !== project.organization_id)
          throw notFound('credential', credentialId)
        if (credential.scope === 'project' && credential.project_id !== project.id)
          throw new KeylessError(
            'conflict',
            `credential ${credentialId} belongs to project ${String(credential.project_id)} and cannot be assigned to another project`,
          )
        const existing = await trx
          .selectFrom('credential_assignments')
          .selectAll()
          .where('project_id', '=', project.id)
          .executeTakeFirst()
        if (existing?.credential_id === credential.id) return
        if (existing !== undefined)
          await trx
            .deleteFrom('credential_assignments')
            .where('project_id', '=', project.id)
            .execute()
        await trx
          .insertInto('credential_assignments')
          .values({
            project_id: project.id,
            credential_id: credential.id,
            organization_id: project.organization_id,
            created_at: ctx.now(),
          })
          .execute()
        await recordAudit(ctx, trx, principal, {
          action: 'credential.assigned',
          organizationId: project.organization_id,
          details: {
            projectId: project.id,
            credentialId: credential.id,
            replacedCredentialId: existing?.credential_id ?? null,
          },
        })
      })
    },

    async unassign(principal: Principal, projectId: string, credentialId: string): Promise<void> {
      await inTransaction(ctx, async (trx) => {
        const project = await loadProject(trx, principal, projectId)
        requireRole(principal, project.organization_id, 'admin', 'project', projectId)
        const result = await trx
          .deleteFrom('credential_assignments')
          .where('project_id', '=', project.id)
          .where('credential_id', '=', credentialId)
          .executeTakeFirst()
        if (result.numDeletedRows === 0n) throw notFound('credential assignment', credentialId)
        await recordAudit(ctx, trx, principal, {
          action: 'credential.unassigned',
          organizationId: project.organization_id,
          details: { projectId: project.id, credentialId },
        })
      })
    },
  }
}
