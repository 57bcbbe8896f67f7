import { z } from 'zod'
import { sortableId } from './context.js'
import { recordAudit } from './audit.js'
import { inTransaction, type PlatformContext, type Tx } from './context.js'
import { loadEnvironment, loadOrganization, loadProject, loadTemplate } from './lookup.js'
import type { Page } from './pagination.js'
import { prepared } from './prepared.js'
import { notFound, requireRole, type Principal } from './principal.js'
import { toVariable } from './resources.js'
import {
  variableScopeSchema,
  type Variable,
  type VariableScope,
} from '../shared/contracts/resources.js'
import { parseInput, variableNameSchema } from './validation.js'

export const putVariableSchema = z.strictObject({
  value: z.string().max(64 * 1024),
  sensitive: z.boolean().optional(),
})
export type PutVariableInput = z.input<typeof putVariableSchema>

/** Scopes from farthest to nearest: a nearer scope's variable wins. */
export const SCOPE_ORDER: readonly VariableScope[] = [
  'organization',
  'project',
  'template',
  'environment',
]

export interface EffectiveVariable {
  readonly name: string
  readonly value: string
  readonly sensitive: boolean
  readonly scope: VariableScope
}

async function scopeOrganization(
  db: Tx,
  principal: Principal,
  scope: VariableScope,
  id: string,
): Promise<string> {
  switch (scope) {
    case 'organization':
      return (await loadOrganization(db, principal, id)).id
    case 'project':
      return (await loadProject(db, principal, id)).organization_id
    case 'template':
      return (await loadTemplate(db, principal, id)).organization_id
    case 'environment':
      return (await loadEnvironment(db, principal, id)).organization_id
  }
}

/**
 * The variables a deployment of this environment sees: organization, then project, then
 * template, then environment; the nearest scope wins.
 */
/** Arguments: the organization id, then the id of each scope in SCOPE_ORDER. */
const variablesOf = prepared((db, slot) =>
  db
    .selectFrom('variables')
    .selectAll()
    .where('organization_id', '=', slot(0))
    .where((eb) =>
      eb.or(
        SCOPE_ORDER.map((s, i) => eb.and([eb('scope', '=', s), eb('scope_id', '=', slot(i + 1))])),
      ),
    ),
)

export async function effectiveVariables(
  db: Tx,
  env: { organization_id: string; project_id: string; template_id: string; id: string },
): Promise<Map<string, EffectiveVariable>> {
  const ids: Record<VariableScope, string> = {
    organization: env.organization_id,
    project: env.project_id,
    template: env.template_id,
    environment: env.id,
  }
  const rows = await variablesOf(db, [env.organization_id, ...SCOPE_ORDER.map((s) => ids[s])])
  rows.sort(
    (a, b) =>
      SCOPE_ORDER.indexOf(a.scope as VariableScope) - SCOPE_ORDER.indexOf(b.scope as VariableScope),
  )
  const out = new Map<string, EffectiveVariable>()
  for (const r of rows)
    out.set(r.name, {
      name: r.name,
      value: r.value,
      sensitive: r.sensitive !== 0,
      scope: r.scope as VariableScope,
    })
  return out
}

export function variablesService(ctx: PlatformContext) {
  function parseKey(scope: string, name?: string): { scope: VariableScope; name: string } {
    return parseInput(
      z.object({ scope: variableScopeSchema, name: variableNameSchema }),
      { scope, name: name ?? 'X' },
      'variable',
    )
  }

  return {
    /** Creates or replaces a variable (admin: variables can redirect a deployment's role). */
    async put(
      principal: Principal,
      scope: VariableScope,
      scopeId: string,
      name: string,
      input: PutVariableInput,
    ): Promise<{ variable: Variable; created: boolean }> {
      parseKey(scope, name)
      const data = parseInput(putVariableSchema, input)
      return inTransaction(ctx, async (trx) => {
        const organizationId = await scopeOrganization(trx, principal, scope, scopeId)
        requireRole(principal, organizationId, 'admin', scope, scopeId)
        const now = ctx.now()
        const existing = await trx
          .selectFrom('variables')
          .selectAll()
          .where('scope', '=', scope)
          .where('scope_id', '=', scopeId)
          .where('name', '=', name)
          .executeTakeFirst()
        const sensitive = data.sensitive ?? (existing !== undefined && existing.sensitive !== 0)
        const row = {
          id: existing?.id ?? sortableId('var', ctx.clock),
          organization_id: organizationId,
          scope,
          scope_id: scopeId,
          name,
          value: data.value,
          sensitive: sensitive ? 1 : 0,
          created_at: existing?.created_at ?? now,
          updated_at: now,
        }
        if (existing === undefined) await trx.insertInto('variables').values(row).execute()
        else
          await trx
            .updateTable('variables')
            .set({ value: row.value, sensitive: row.sensitive, updated_at: now })
            .where('id', '=', existing.id)
            .execute()
        const roleOverride = name === 'KEYLESS_AWS_ROLE_ARN' || name === 'ENV0_AWS_ROLE_ARN'
        await recordAudit(ctx, trx, principal, {
          action: roleOverride ? 'variable.role_override_set' : 'variable.set',
          organizationId,
          details: {
            scope,
            scopeId,
            name,
            sensitive,
            ...(roleOverride && !sensitive
              ? { roleArn: data.value, source: `variable:${name}` }
              : {}),
          },
        })
        return { variable: toVariable(row), created: existing === undefined }
      })
    },

    async get(
      principal: Principal,
      scope: VariableScope,
      scopeId: string,
      name: string,
    ): Promise<Variable> {
      parseKey(scope, name)
      await scopeOrganization(ctx.db, principal, scope, scopeId)
      const row = await ctx.db
        .selectFrom('variables')
        .selectAll()
        .where('scope', '=', scope)
        .where('scope_id', '=', scopeId)
        .where('name', '=', name)
        .executeTakeFirst()
      if (row === undefined) throw notFound('variable', name)
      return toVariable(row)
    },

    /** Every variable set at this scope (not inherited ones), by name. */
    async list(
      principal: Principal,
      scope: VariableScope,
      scopeId: string,
    ): Promise<Page<Variable>> {
      parseKey(scope)
      await scopeOrganization(ctx.db, principal, scope, scopeId)
      const rows = await ctx.db
        .selectFrom('variables')
        .selectAll()
        .where('scope', '=', scope)
        .where('scope_id', '=', scopeId)
        .orderBy('name')
        .execute()
      return { items: rows.map(toVariable), nextCursor: null }
    },

    async remove(
      principal: Principal,
      scope: VariableScope,
      scopeId: string,
      name: string,
    ): Promise<void> {
      parseKey(scope, name)
      await inTransaction(ctx, async (trx) => {
        const organizationId = await scopeOrganization(trx, principal, scope, scopeId)
        requireRole(principal, organizationId, 'admin', scope, scopeId)
        const result = await trx
          .deleteFrom('variables')
          .where('scope', '=', scope)
          .where('scope_id', '=', scopeId)
          .where('name', '=', name)
          .executeTakeFirst()
        if (result.numDeletedRows === 0n) throw notFound('variable', name)
        await recordAudit(ctx, trx, principal, {
          action: 'variable.deleted',
          organizationId,
          details: { scope, scopeId, name },
        })
      })
    },
  }
}
