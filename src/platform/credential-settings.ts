import { z } from 'zod'
import type { CredentialRow } from '../store/platform-tables.js'
import { httpUrlSchema } from './validation.js'
import { azureFieldsSchema, gcpFieldsSchema } from '../shared/contracts/credential.js'

/**
 * The settings of Azure and GCP credentials (docs/azure.md, docs/gcp.md): their input rules and
 * the JSON kept in `credentials.settings`. AWS settings have their own columns.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu
export const guidSchema = z
  .string()
  .trim()
  .regex(GUID, 'must be a GUID such as 8a1f5c2e-0d4b-4c67-9e1a-3b5f7d9c2e10')

export const httpsUrlSchema = httpUrlSchema.refine((v) => v.startsWith('https://'), {
  message: 'must be an https URL (Azure clients refuse http authorities)',
})

/** Entra keeps at most 600 characters of a federated credential's audience. */
export const azureAudienceSchema = z.string().trim().min(1).max(600)
/** Google takes at most 10 allowed audiences of at most 256 characters each. */
export const gcpAudienceSchema = z.string().trim().min(1).max(256)

export const projectNumberSchema = z
  .string()
  .regex(/^[1-9]\d{0,19}$/u, 'must be a Google Cloud project number (digits)')
export const gcpProjectIdSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/u,
    'must be a Google Cloud project id (6–30 lowercase letters, digits, hyphens)',
  )
/** Pool and provider ids: 4–32 lowercase letters, digits and hyphens; `gcp-` is Google's. */
export const workloadIdSchema = z
  .string()
  .regex(/^[a-z0-9-]{4,32}$/u, 'must be 4–32 lowercase letters, digits or hyphens')
  .refine((v) => !v.startsWith('gcp-'), { message: 'must not start with gcp- (reserved)' })
export const serviceAccountEmailSchema = z
  .string()
  .trim()
  .max(254)
  .regex(/^[a-z0-9-]+@[a-z0-9.-]+$/u, 'must be a service account email')
export const tokenLifetimeSchema = z
  .number()
  .int()
  .min(600, 'must be at least 600 seconds')
  .max(43200, 'must be at most 43200 seconds')

/** What `credentials.settings` keeps: a cloud's fields but the audience (a column of its own). */
export const azureSettingsSchema = azureFieldsSchema.omit({ audience: true })
export type AzureSettings = z.infer<typeof azureSettingsSchema>

export const gcpSettingsSchema = gcpFieldsSchema.omit({ audience: true })
export type GcpSettings = z.infer<typeof gcpSettingsSchema>

export const DEFAULT_AZURE_AUTHORITY = 'https://login.microsoftonline.com'
export const DEFAULT_GCP_STS = 'https://sts.googleapis.com'
export const DEFAULT_GCP_IAM_CREDENTIALS = 'https://iamcredentials.googleapis.com'

/** The Azure settings of a row (a row of another type is a programming error). */
export function azureSettingsOf(row: CredentialRow): AzureSettings {
  return azureSettingsSchema.parse(JSON.parse(row.settings ?? 'null'))
}

/** The GCP settings of a row. */
export function gcpSettingsOf(row: CredentialRow): GcpSettings {
  return gcpSettingsSchema.parse(JSON.parse(row.settings ?? 'null'))
}
