/**
 * The three output formats of `keyless setup azure`: Terraform (azuread's
 * `azuread_application_federated_identity_credential` for app registrations, azurerm's
 * `azurerm_federated_identity_credential` for user-assigned managed identities), an Azure CLI
 * script, and JSON whose credentials are the bodies Graph's create call takes.
 */
import { MAX_FICS } from '../../../federation/azure/fic.js'
import { KeylessError } from '../../../shared/errors.js'
import { alignAssignments } from '../hcl-align.js'
import { hclString, sh, tfName } from '../quote.js'
import type { ApplicationPlan, AzureSetupPlan, PlannedFic } from './model.js'

export type AzureSetupFormat = 'terraform' | 'cli' | 'json'
export const AZURE_SETUP_FORMATS: readonly AzureSetupFormat[] = ['terraform', 'cli', 'json']

/** Throws the reasons when an application needs more federated credentials than Entra allows. */
export function assertFits(plan: AzureSetupPlan): void {
  if (plan.overLimit.length > 0)
    throw new KeylessError('usage_error', plan.overLimit.map((o) => o.message).join('\n'))
}

/** The body of Graph's `POST /applications/{id}/federatedIdentityCredentials`. */
export function graphBody(fic: PlannedFic): Record<string, unknown> {
  return {
    name: fic.name,
    issuer: fic.issuer,
    subject: fic.subject,
    description: fic.description,
    audiences: [...fic.audiences],
  }
}

function appLine(app: ApplicationPlan): string {
  const names = app.credentials.map((c) => c.name).filter((n) => n !== null)
  const role = app.role === 'plan' ? 'plan client of ' : ''
  const of = names.length === 0 ? '' : ` (${role}credential ${names.join(', ')})`
  const where = app.managedIdentity === null ? 'application' : 'managed identity'
  return `${where} ${app.clientId}${of}: ${app.fics.length} of ${MAX_FICS} federated identity credentials`
}

const short = (app: ApplicationPlan): string => app.clientId.slice(0, 8)

function header(plan: AzureSetupPlan, comment: string): string[] {
  return [
    `${comment} keyless setup azure: federated identity credentials for organization ${plan.organizationId}.`,
    `${comment} Entra compares issuer, subject and audience with the token exactly (case-sensitive, a`,
    `${comment} trailing slash counts) and keeps at most ${MAX_FICS} per application or managed identity.`,
  ]
}

function terraformFic(plan: AzureSetupPlan, app: ApplicationPlan, fic: PlannedFic): string[] {
  const name = tfName(plan.applications.length > 1 ? `${fic.name}_${short(app)}` : fic.name)
  const mi = app.managedIdentity
  if (mi !== null)
    return [
      `resource "azurerm_federated_identity_credential" "${name}" {`,
      `  name = ${hclString(fic.name)}`,
      `  resource_group_name = ${hclString(mi.resourceGroup)}`,
      `  parent_id = ${hclString(mi.resourceId)}`,
      `  issuer = ${hclString(fic.issuer)}`,
      `  subject = ${hclString(fic.subject)}`,
      `  audience = [${fic.audiences.map(hclString).join(', ')}]`,
      '}',
      '',
    ]
  return [
    `resource "azuread_application_federated_identity_credential" "${name}" {`,
    `  application_id = data.azuread_application.app_${short(app)}.id`,
    `  display_name = ${hclString(fic.name)}`,
    `  description = ${hclString(fic.description)}`,
    `  issuer = ${hclString(fic.issuer)}`,
    `  subject = ${hclString(fic.subject)}`,
    `  audiences = [${fic.audiences.map(hclString).join(', ')}]`,
    '}',
    '',
  ]
}

function terraform(plan: AzureSetupPlan): string {
  const lines = [...header(plan, '#'), '']
  for (const app of plan.applications) {
    lines.push(`# ${appLine(app)}`)
    if (app.managedIdentity === null)
      lines.push(
        `data "azuread_application" "app_${short(app)}" {`,
        `  client_id = ${hclString(app.clientId)}`,
        '}',
        '',
      )
    else lines.push('')
    for (const fic of app.fics) lines.push(...terraformFic(plan, app, fic))
  }
  return alignAssignments(lines.join('\n'))
}

function cliFic(app: ApplicationPlan, fic: PlannedFic): string {
  const mi = app.managedIdentity
  if (mi === null)
    return `az ad app federated-credential create --id ${sh(app.clientId)} --parameters ${sh(JSON.stringify(graphBody(fic)))}`
  return [
    `az identity federated-credential create --name ${sh(fic.name)}`,
    `--identity-name ${sh(mi.name)} --resource-group ${sh(mi.resourceGroup)}`,
    `--subscription ${sh(mi.subscriptionId)} --issuer ${sh(fic.issuer)}`,
    `--subject ${sh(fic.subject)} --audiences ${fic.audiences.map(sh).join(' ')}`,
  ].join(' \\\n  ')
}

function cli(plan: AzureSetupPlan): string {
  const lines = [
    '#!/bin/sh',
    ...header(plan, '#'),
    '# Runs with the Azure CLI signed in to the tenant (az login).',
    'set -eu',
  ]
  for (const app of plan.applications) {
    lines.push(`# ${appLine(app)}`)
    for (const fic of app.fics) lines.push(cliFic(app, fic))
  }
  return `${lines.join('\n')}\n`
}

/** The plan as data: per application its FICs in Graph's create shape, and what each admits. */
export function azureSetupJson(plan: AzureSetupPlan): Record<string, unknown> {
  return {
    organizationId: plan.organizationId,
    issuer: plan.issuer,
    target: plan.target,
    applications: plan.applications.map((app) => ({
      clientId: app.clientId,
      role: app.role,
      credentials: app.credentials,
      subjectTemplates: app.subjectTemplates,
      managedIdentity: app.managedIdentity?.resourceId ?? null,
      count: app.fics.length,
      limit: MAX_FICS,
      federatedIdentityCredentials: app.fics.map(graphBody),
    })),
  }
}

/** Renders a plan that fits (throws the reasons otherwise) in one of the three formats. */
export function renderAzureSetup(plan: AzureSetupPlan, format: AzureSetupFormat): string {
  assertFits(plan)
  switch (format) {
    case 'terraform':
      return terraform(plan)
    case 'cli':
      return cli(plan)
    case 'json':
      return `${JSON.stringify(azureSetupJson(plan), null, 2)}\n`
  }
}
