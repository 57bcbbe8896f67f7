import type { Credential } from '../shared/contracts/credential.js'
import type { CredentialRow } from '../store/platform-tables.js'
import { KeylessError } from '../shared/errors.js'
import { defaultAudience } from '../shared/audience.js'
import type { CreateCredentialData, UpdateCredentialData } from './credential-input.js'
import { FIELDS_OF_TYPE } from './credential-input.js'
import {
  azureSettingsOf,
  gcpSettingsOf,
  type AzureSettings,
  type GcpSettings,
} from './credential-settings.js'
import { flag, patchRow } from './patch.js'

/** Rows of the `credentials` table from input, and back (one shape per cloud). */

type RowKeys = Pick<CredentialRow, 'id' | 'organization_id' | 'scope' | 'project_id'> & {
  readonly now: string
}

const AWS_NONE = {
  role_arn: '',
  duration_seconds: 0,
  plan_role_arn: null,
  region: '',
  sts_endpoint: null,
  session_tags: 0,
  refresh: 0,
} as const

/** The new row of a validated create request. */
export function newCredentialRow(data: CreateCredentialData, keys: RowKeys): CredentialRow {
  const base = {
    id: keys.id,
    organization_id: keys.organization_id,
    scope: keys.scope,
    project_id: keys.project_id,
    name: data.name,
    subject_template: data.subjectTemplate ?? null,
    created_at: keys.now,
    updated_at: keys.now,
  }
  if (data.type === 'azure-oidc') {
    const settings: AzureSettings = {
      tenantId: data.tenantId.toLowerCase(),
      clientId: data.clientId.toLowerCase(),
      subscriptionId: data.subscriptionId.toLowerCase(),
      authorityHost: data.authorityHost.replace(/\/+$/u, ''),
      planClientId: data.planClientId?.toLowerCase() ?? null,
    }
    return {
      ...base,
      ...AWS_NONE,
      type: 'azure-oidc',
      audience: data.audience ?? defaultAudience(keys.organization_id, 'azure'),
      settings: JSON.stringify(settings),
    }
  }
  if (data.type === 'gcp-oidc') {
    const settings: GcpSettings = {
      projectNumber: data.projectNumber,
      gcpProjectId: data.gcpProjectId,
      poolId: data.poolId,
      providerId: data.providerId,
      serviceAccountEmail: data.serviceAccountEmail ?? null,
      planServiceAccountEmail: data.planServiceAccountEmail ?? null,
      tokenLifetimeSeconds: data.tokenLifetimeSeconds,
      stsEndpoint: data.stsEndpoint ?? null,
      iamCredentialsEndpoint: data.iamCredentialsEndpoint ?? null,
    }
    return {
      ...base,
      ...AWS_NONE,
      duration_seconds: data.tokenLifetimeSeconds,
      type: 'gcp-oidc',
      audience: data.audience ?? defaultAudience(keys.organization_id, 'gcp'),
      settings: JSON.stringify(settings),
    }
  }
  return {
    ...base,
    type: 'aws-oidc',
    role_arn: data.roleArn,
    duration_seconds: data.durationSeconds,
    plan_role_arn: data.planRoleArn ?? null,
    region: data.region,
    sts_endpoint: data.stsEndpoint ?? null,
    session_tags: data.sessionTags ? 1 : 0,
    refresh: data.refresh ? 1 : 0,
    audience: null,
    settings: null,
  }
}

/** Refuses fields that belong to another cloud's credential. */
function checkFieldsOfType(row: CredentialRow, data: UpdateCredentialData): void {
  const own = new Set(['name', 'subjectTemplate', ...(FIELDS_OF_TYPE[row.type] ?? [])])
  const foreign = Object.keys(data).filter((k) => !own.has(k))
  if (foreign.length > 0)
    throw new KeylessError(
      'validation_failed',
      `invalid request: ${foreign.join(', ')} cannot be set on a ${row.type} credential`,
      { fields: foreign.map((path) => ({ path, message: `not a field of ${row.type}` })) },
    )
}

/** The row after a validated PATCH, and the columns to write. */
export function patchCredentialRow(
  row: CredentialRow,
  data: UpdateCredentialData,
  now: string,
): { next: CredentialRow; set: Partial<CredentialRow> } {
  checkFieldsOfType(row, data)
  const common = { name: data.name, subject_template: data.subjectTemplate, updated_at: now }
  if (row.type === 'aws-oidc')
    return patchRow<CredentialRow>(row, {
      ...common,
      role_arn: data.roleArn,
      duration_seconds: data.durationSeconds,
      plan_role_arn: data.planRoleArn,
      region: data.region,
      sts_endpoint: data.stsEndpoint,
      session_tags: flag(data.sessionTags),
      refresh: flag(data.refresh),
    })
  const { name: _n, subjectTemplate: _s, audience, ...fields } = data
  const before = row.type === 'azure-oidc' ? azureSettingsOf(row) : gcpSettingsOf(row)
  const settings = { ...before, ...definedOnly(fields) }
  if (row.type === 'azure-oidc' && fields.authorityHost !== undefined)
    (settings as AzureSettings).authorityHost = fields.authorityHost.replace(/\/+$/u, '')
  return patchRow<CredentialRow>(row, {
    ...common,
    audience,
    settings: JSON.stringify(settings),
    duration_seconds:
      row.type === 'gcp-oidc' ? (settings as GcpSettings).tokenLifetimeSeconds : undefined,
  })
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
}

/** The REST resource of a row (src/shared/contracts/credential.ts). */
export function toCredential(r: CredentialRow, projectIds: readonly string[] = []): Credential {
  const common = {
    id: r.id,
    organizationId: r.organization_id,
    scope: r.scope as Credential['scope'],
    projectId: r.project_id,
    name: r.name,
    subjectTemplate: r.subject_template,
    projectIds: [...projectIds],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
  if (r.type === 'azure-oidc')
    return { ...common, type: 'azure-oidc', audience: r.audience ?? '', ...azureSettingsOf(r) }
  if (r.type === 'gcp-oidc')
    return { ...common, type: 'gcp-oidc', audience: r.audience ?? '', ...gcpSettingsOf(r) }
  return {
    ...common,
    type: 'aws-oidc',
    roleArn: r.role_arn,
    durationSeconds: r.duration_seconds,
    planRoleArn: r.plan_role_arn,
    region: r.region,
    stsEndpoint: r.sts_endpoint,
    sessionTags: r.session_tags !== 0,
    refresh: r.refresh !== 0,
  }
}
