import { KeylessError } from '../shared/errors.js'
import { sortableId } from './context.js'
import type { CredentialRow } from '../store/platform-tables.js'
import { recordAudit } from './audit.js'
import { inTransaction, type PlatformContext, type Tx } from './context.js'
import { loadCredential, loadOrganization, loadProject } from './lookup.js'
import { keysetPage, listQuerySchema, type Page, type PageRequest } from './pagination.js'
import { notFound, requireRole, type Principal } from './principal.js'
import { type Credential } from '../shared/contracts/credential.js'
import { cloudOfType, type CredentialType } from '../shared/contracts/common.js'
import { parseInput } from './validation.js'
import { inOrganization } from './in-organization.js'
import {
  createCredentialSchema,
  updateCredentialSchema,
  type CreateCredentialInput,
  type UpdateCredentialInput,
} from './credential-input.js'
import { newCredentialRow, patchCredentialRow, toCredential } from './credential-rows.js'
import { checkedCredentialAudience } from './credential-audience.js'

export {
  createCredentialSchema,
  updateCredentialSchema,
  type CreateCredentialInput,
  type UpdateCredentialInput,
}

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

/** What the audit log keeps of a credential: the resource without its assignments. */
function auditView(row: CredentialRow): Record<string, unknown> {
  const { id, projectIds: _p, createdAt: _c, updatedAt: _u, ...rest } = toCredential(row)
  return { credentialId: id, ...rest }
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
        const row = newCredentialRow(data, {
          id: sortableId('cred', ctx.clock),
          organization_id: org.id,
          scope: projectId === null ? 'organization' : 'project',
          project_id: projectId,
          now: ctx.now(),
        })
        if (row.audience !== null) await checkedCredentialAudience(trx, row.audience, org.id)
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

    /** The credentials assigned to a project (at most one per cloud), as a list. */
    async listForProject(principal: Principal, projectId: string): Promise<Page<Credential>> {
      const project = await loadProject(ctx.db, principal, projectId)
      const rows = await ctx.db
        .selectFrom('credential_assignments')
        .innerJoin('credentials', 'credentials.id', 'credential_assignments.credential_id')
        .selectAll('credentials')
        .where('credential_assignments.project_id', '=', project.id)
        .orderBy('credential_assignments.cloud')
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
        const { next, set } = patchCredentialRow(row, data, ctx.now())
        if (set.audience !== undefined && next.audience !== null)
          await checkedCredentialAudience(trx, next.audience, row.organization_id)
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
     * Assigns a credential to a project. A project has at most one credential per cloud: a new
     * assignment replaces the previous one of its cloud (both are in the audit log).
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
        const cloud = cloudOfType(credential.type as CredentialType)
        const existing = await trx
          .selectFrom('credential_assignments')
          .selectAll()
          .where('project_id', '=', project.id)
          .where('cloud', '=', cloud)
          .executeTakeFirst()
        if (existing?.credential_id === credential.id) return
        if (existing !== undefined)
          await trx
            .deleteFrom('credential_assignments')
            .where('project_id', '=', project.id)
            .where('cloud', '=', cloud)
            .execute()
        await trx
          .insertInto('credential_assignments')
          .values({
            project_id: project.id,
            cloud,
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
            cloud,
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
