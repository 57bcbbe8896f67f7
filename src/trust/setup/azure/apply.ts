/**
 * `keyless setup azure --apply`: creates the planned federated identity credentials through Graph
 * (app registrations) or ARM (user-assigned managed identities) — at the Entra emulator or any
 * Graph/ARM-compatible URL — keeping the ones whose issuer and subject already exist. Each
 * application is read and checked before anything of it is written.
 */
import { KeylessError } from '../../../shared/errors.js'
import { diffFics, type ExistingFic, type FicActions } from './diff.js'
import { arrayAt, at, entraCall, stringAt, type EntraConnection } from './entra-http.js'
import type { ApplicationPlan, AzureSetupPlan, ManagedIdentityRef } from './model.js'
import { assertFits, graphBody } from './render.js'

export const ARM_API_VERSION = '2023-01-31'

export interface AzureApplyResult {
  readonly lines: readonly string[]
  readonly warnings: readonly string[]
}

const enc = encodeURIComponent

/** A FIC of a Graph list (`{ name, issuer, subject, audiences }`) or ARM's (`{ name, properties }`). */
function existingOf(f: unknown, arm: boolean): ExistingFic {
  const p = arm ? at(f, 'properties') : f
  const subject = at(p, 'subject')
  return {
    name: stringAt(f, 'name'),
    issuer: stringAt(p, 'issuer'),
    subject: typeof subject === 'string' ? subject : null,
    audiences: arrayAt(p, 'audiences').filter((a): a is string => typeof a === 'string'),
  }
}

/** Reads an application's FICs through Graph; the base of its FIC collection. */
async function graphFics(c: EntraConnection, clientId: string) {
  const app = await entraCall(c, 'GET', `${c.graphUrl}/v1.0/applications(appId='${enc(clientId)}')`)
  const base = `${c.graphUrl}/v1.0/applications/${enc(stringAt(app.json, 'id'))}/federatedIdentityCredentials`
  const list = await entraCall(c, 'GET', base)
  return { base, query: '', existing: arrayAt(list.json, 'value').map((f) => existingOf(f, false)) }
}

async function armFics(c: EntraConnection, mi: ManagedIdentityRef, clientId: string) {
  const query = `?api-version=${ARM_API_VERSION}`
  const identity = await entraCall(c, 'GET', `${c.armUrl}${mi.resourceId}${query}`)
  const actual = stringAt(identity.json, 'properties', 'clientId').toLowerCase()
  if (actual !== clientId)
    throw new KeylessError(
      'validation_failed',
      `managed identity ${mi.resourceId} has client id ${actual}, not the credential's ${clientId}`,
    )
  const base = `${c.armUrl}${mi.resourceId}/federatedIdentityCredentials`
  const list = await entraCall(c, 'GET', `${base}${query}`)
  return { base, query, existing: arrayAt(list.json, 'value').map((f) => existingOf(f, true)) }
}

interface Prepared {
  readonly app: ApplicationPlan
  readonly where: string
  readonly base: string
  readonly query: string
  readonly actions: FicActions
}

async function prepare(c: EntraConnection, app: ApplicationPlan): Promise<Prepared> {
  const mi = app.managedIdentity
  const read = mi === null ? await graphFics(c, app.clientId) : await armFics(c, mi, app.clientId)
  const where = mi === null ? `application ${app.clientId}` : `managed identity ${mi.name}`
  return {
    app,
    where,
    base: read.base,
    query: read.query,
    actions: diffFics(app.fics, read.existing),
  }
}

async function write(c: EntraConnection, p: Prepared): Promise<string[]> {
  const lines = p.actions.keep.map(
    ({ existing }) => `${p.where}: kept ${existing.name} (subject ${existing.subject ?? ''})`,
  )
  // One at a time: ARM refuses concurrent writes under one managed identity (409).
  for (const fic of p.actions.create) {
    if (p.app.managedIdentity === null) await entraCall(c, 'POST', p.base, graphBody(fic))
    else
      await entraCall(c, 'PUT', `${p.base}/${enc(fic.name)}${p.query}`, {
        properties: { issuer: fic.issuer, subject: fic.subject, audiences: [...fic.audiences] },
      })
    lines.push(`${p.where}: created ${fic.name} (subject ${fic.subject})`)
  }
  return lines
}

/**
 * Applies a plan that fits: every application is read and checked first, and any problem (over
 * 20, a name taken by another subject) refuses the whole plan before the first write.
 */
export async function applyAzureSetup(
  plan: AzureSetupPlan,
  connection: EntraConnection,
): Promise<AzureApplyResult> {
  assertFits(plan)
  const prepared: Prepared[] = []
  for (const app of plan.applications) prepared.push(await prepare(connection, app))
  const problems = prepared.flatMap((p) => p.actions.problems.map((x) => `${p.where}: ${x}`))
  if (problems.length > 0)
    throw new KeylessError('conflict', `${problems.join('\n')}\n(nothing was written)`)
  const lines: string[] = []
  for (const p of prepared) lines.push(...(await write(connection, p)))
  const warnings = prepared.flatMap((p) => p.actions.warnings.map((w) => `${p.where}: ${w}`))
  return { lines, warnings }
}
