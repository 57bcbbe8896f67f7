/**
 * The three output formats of `keyless setup gcp`: Terraform (google's
 * `google_iam_workload_identity_pool`, `google_iam_workload_identity_pool_provider`,
 * `google_service_account_iam_member`), a gcloud script, and JSON whose providers are IAM v1's
 * create bodies.
 */
import { GCP_MAX_SUBJECT_BYTES } from '../../../shared/subject-template.js'
import { KeylessError } from '../../../shared/errors.js'
import { alignAssignments } from '../hcl-align.js'
import { hclString, sh, tfName } from '../quote.js'
import type { GcpSetupPlan, PlannedBinding, PlannedPool, PlannedProvider } from './model.js'

export type GcpSetupFormat = 'terraform' | 'gcloud' | 'json'
export const GCP_SETUP_FORMATS: readonly GcpSetupFormat[] = ['terraform', 'gcloud', 'json']

/** Throws the reasons when a credential's subjects are longer than Google keeps. */
export function assertGcpFits(plan: GcpSetupPlan): void {
  if (plan.tooLong.length > 0)
    throw new KeylessError('usage_error', plan.tooLong.map((t) => t.message).join('\n'))
}

/** The body of IAM v1's `POST …/workloadIdentityPools/{pool}/providers`. */
export function providerBody(p: PlannedProvider): Record<string, unknown> {
  return {
    displayName: 'keyless',
    oidc: { issuerUri: p.issuerUri, allowedAudiences: [...p.allowedAudiences] },
    attributeMapping: { ...p.attributeMapping },
    attributeCondition: p.attributeCondition,
  }
}

/** `projects/<id>/serviceAccounts/<email>`, the project id read from the email. */
export function serviceAccountName(email: string): string {
  const project = /@([^.]+)\.iam\.gserviceaccount\.com$/u.exec(email)?.[1] ?? '-'
  return `projects/${project}/serviceAccounts/${email}`
}

function header(plan: GcpSetupPlan, comment: string): string[] {
  return [
    `${comment} keyless setup gcp: workload identity federation for organization ${plan.organizationId}.`,
    `${comment} Google compares the issuer with the token's iss exactly, requires its aud in allowedAudiences,`,
    `${comment} and keeps at most ${GCP_MAX_SUBJECT_BYTES} bytes of google.subject.`,
  ]
}

const poolTf = (p: PlannedPool): string => tfName(`pool_${p.projectNumber}_${p.poolId}`)

function terraformPool(p: PlannedPool): string[] {
  return [
    `resource "google_iam_workload_identity_pool" "${poolTf(p)}" {`,
    `  project = ${hclString(p.projectNumber)}`,
    `  workload_identity_pool_id = ${hclString(p.poolId)}`,
    `  display_name = "keyless"`,
    '}',
    '',
  ]
}

function terraformProvider(p: PlannedProvider): string[] {
  const pool = poolTf(p)
  return [
    `resource "google_iam_workload_identity_pool_provider" "${tfName(`${pool}_${p.providerId}`)}" {`,
    `  project = ${hclString(p.projectNumber)}`,
    `  workload_identity_pool_id = google_iam_workload_identity_pool.${pool}.workload_identity_pool_id`,
    `  workload_identity_pool_provider_id = ${hclString(p.providerId)}`,
    `  display_name = "keyless"`,
    `  attribute_condition = ${hclString(p.attributeCondition)}`,
    '  attribute_mapping = {',
    ...Object.entries(p.attributeMapping).map(([k, v]) => `    ${hclString(k)} = ${hclString(v)}`),
    '  }',
    '  oidc {',
    `    issuer_uri = ${hclString(p.issuerUri)}`,
    `    allowed_audiences = [${p.allowedAudiences.map(hclString).join(', ')}]`,
    '  }',
    '}',
    '',
  ]
}

function terraformBinding(b: PlannedBinding, i: number): string[] {
  const name = tfName(`${b.use}_${b.serviceAccountEmail.split('@')[0] ?? ''}_${i + 1}`)
  return [
    `resource "google_service_account_iam_member" "${name}" {`,
    `  service_account_id = ${hclString(serviceAccountName(b.serviceAccountEmail))}`,
    `  role = ${hclString(b.role)}`,
    `  member = ${hclString(b.member)}`,
    '}',
    '',
  ]
}

function terraform(plan: GcpSetupPlan): string {
  const lines = [...header(plan, '#'), '']
  for (const p of plan.pools) lines.push(...terraformPool(p))
  for (const p of plan.providers) lines.push(...terraformProvider(p))
  plan.bindings.forEach((b, i) => lines.push(...terraformBinding(b, i)))
  return alignAssignments(lines.join('\n'))
}

function gcloudProvider(p: PlannedProvider): string {
  const mapping = Object.entries(p.attributeMapping)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
  return [
    `gcloud iam workload-identity-pools providers create-oidc ${sh(p.providerId)}`,
    `--project=${sh(p.projectNumber)} --location=global --workload-identity-pool=${sh(p.poolId)}`,
    `--display-name=keyless --issuer-uri=${sh(p.issuerUri)}`,
    `--allowed-audiences=${sh(p.allowedAudiences.join(','))}`,
    `--attribute-mapping=${sh(mapping)}`,
    `--attribute-condition=${sh(p.attributeCondition)}`,
  ].join(' \\\n  ')
}

function gcloud(plan: GcpSetupPlan): string {
  const lines = [
    '#!/bin/sh',
    ...header(plan, '#'),
    '# Runs with gcloud signed in to an account that administers the projects (gcloud auth login).',
    'set -eu',
  ]
  for (const p of plan.pools)
    lines.push(
      `gcloud iam workload-identity-pools create ${sh(p.poolId)} --project=${sh(p.projectNumber)} --location=global --display-name=keyless`,
    )
  for (const p of plan.providers) lines.push(gcloudProvider(p))
  for (const b of plan.bindings)
    lines.push(
      `gcloud iam service-accounts add-iam-policy-binding ${sh(b.serviceAccountEmail)} --role=${sh(b.role)} --member=${sh(b.member)}`,
    )
  return `${lines.join('\n')}\n`
}

/** The plan as data: pools, providers in IAM v1's create shape, bindings. */
export function gcpSetupJson(plan: GcpSetupPlan): Record<string, unknown> {
  return {
    organizationId: plan.organizationId,
    issuer: plan.issuer,
    pools: plan.pools.map((p) => ({ name: p.name, poolId: p.poolId })),
    providers: plan.providers.map((p) => ({
      name: p.name,
      providerId: p.providerId,
      ...providerBody(p),
    })),
    bindings: plan.bindings.map((b) => ({
      serviceAccount: serviceAccountName(b.serviceAccountEmail),
      role: b.role,
      member: b.member,
      use: b.use,
    })),
  }
}

/** Renders a plan that fits (throws the reasons otherwise) in one of the three formats. */
export function renderGcpSetup(plan: GcpSetupPlan, format: GcpSetupFormat): string {
  assertGcpFits(plan)
  switch (format) {
    case 'terraform':
      return terraform(plan)
    case 'gcloud':
      return gcloud(plan)
    case 'json':
      return `${JSON.stringify(gcpSetupJson(plan), null, 2)}\n`
  }
}
