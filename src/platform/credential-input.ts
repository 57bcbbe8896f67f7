import { z } from 'zod'
import {
  azureAudienceSchema,
  DEFAULT_AZURE_AUTHORITY,
  gcpAudienceSchema,
  gcpProjectIdSchema,
  guidSchema,
  httpsUrlSchema,
  projectNumberSchema,
  serviceAccountEmailSchema,
  tokenLifetimeSchema,
  workloadIdSchema,
} from './credential-settings.js'
import {
  durationSchema,
  httpUrlSchema,
  idSchema,
  nameSchema,
  regionSchema,
  roleArnSchema,
  subjectTemplateSchema,
} from './validation.js'

/** What `POST /organizations/{id}/credentials` and `PATCH /credentials/{id}` accept, per cloud. */

const common = {
  name: nameSchema,
  /** Set to make the credential project-scoped (usable by that project only). */
  projectId: idSchema.nullable().optional(),
  /** The credential's own subject template (default: the organization's; Azure's drops the type). */
  subjectTemplate: subjectTemplateSchema.nullable().optional(),
}

export const createAwsCredentialSchema = z.strictObject({
  ...common,
  type: z.literal('aws-oidc').optional(),
  roleArn: roleArnSchema,
  durationSeconds: durationSchema.default(3600),
  planRoleArn: roleArnSchema.nullable().optional(),
  region: regionSchema.default('us-east-1'),
  stsEndpoint: httpUrlSchema.nullable().optional(),
  sessionTags: z.boolean().default(true),
  refresh: z.boolean().default(true),
})

export const createAzureCredentialSchema = z.strictObject({
  ...common,
  type: z.literal('azure-oidc'),
  tenantId: guidSchema,
  clientId: guidSchema,
  subscriptionId: guidSchema,
  /** Default `azure:<organizationId>`. */
  audience: azureAudienceSchema.optional(),
  authorityHost: httpsUrlSchema.default(DEFAULT_AZURE_AUTHORITY),
  planClientId: guidSchema.nullable().optional(),
})

export const createGcpCredentialSchema = z.strictObject({
  ...common,
  type: z.literal('gcp-oidc'),
  projectNumber: projectNumberSchema,
  gcpProjectId: gcpProjectIdSchema,
  poolId: workloadIdSchema,
  providerId: workloadIdSchema,
  serviceAccountEmail: serviceAccountEmailSchema.nullable().optional(),
  planServiceAccountEmail: serviceAccountEmailSchema.nullable().optional(),
  tokenLifetimeSeconds: tokenLifetimeSchema.default(3600),
  /** Default `gcp:<organizationId>`. */
  audience: gcpAudienceSchema.optional(),
  stsEndpoint: httpUrlSchema.nullable().optional(),
  iamCredentialsEndpoint: httpUrlSchema.nullable().optional(),
})

/** A credential of any cloud; without `type`, an AWS one. */
export const createCredentialSchema = z.discriminatedUnion('type', [
  createAwsCredentialSchema,
  createAzureCredentialSchema,
  createGcpCredentialSchema,
])
export type CreateCredentialInput = z.input<typeof createCredentialSchema>
export type CreateCredentialData = z.output<typeof createCredentialSchema>

/** Every field a PATCH may change; the service refuses fields of another cloud. */
export const updateCredentialSchema = z.strictObject({
  name: nameSchema.optional(),
  subjectTemplate: subjectTemplateSchema.nullable().optional(),
  roleArn: roleArnSchema.optional(),
  durationSeconds: durationSchema.optional(),
  planRoleArn: roleArnSchema.nullable().optional(),
  region: regionSchema.optional(),
  stsEndpoint: httpUrlSchema.nullable().optional(),
  sessionTags: z.boolean().optional(),
  refresh: z.boolean().optional(),
  tenantId: guidSchema.optional(),
  clientId: guidSchema.optional(),
  subscriptionId: guidSchema.optional(),
  audience: z.string().trim().min(1).max(600).optional(),
  authorityHost: httpsUrlSchema.optional(),
  planClientId: guidSchema.nullable().optional(),
  projectNumber: projectNumberSchema.optional(),
  gcpProjectId: gcpProjectIdSchema.optional(),
  poolId: workloadIdSchema.optional(),
  providerId: workloadIdSchema.optional(),
  serviceAccountEmail: serviceAccountEmailSchema.nullable().optional(),
  planServiceAccountEmail: serviceAccountEmailSchema.nullable().optional(),
  tokenLifetimeSeconds: tokenLifetimeSchema.optional(),
  iamCredentialsEndpoint: httpUrlSchema.nullable().optional(),
})
export type UpdateCredentialInput = z.input<typeof updateCredentialSchema>
export type UpdateCredentialData = z.output<typeof updateCredentialSchema>

/** The fields of each credential type a PATCH may set (besides name and subjectTemplate). */
export const FIELDS_OF_TYPE: Readonly<Record<string, readonly string[]>> = {
  'aws-oidc': [
    'roleArn',
    'durationSeconds',
    'planRoleArn',
    'region',
    'stsEndpoint',
    'sessionTags',
    'refresh',
  ],
  'azure-oidc': [
    'tenantId',
    'clientId',
    'subscriptionId',
    'audience',
    'authorityHost',
    'planClientId',
  ],
  'gcp-oidc': [
    'projectNumber',
    'gcpProjectId',
    'poolId',
    'providerId',
    'serviceAccountEmail',
    'planServiceAccountEmail',
    'tokenLifetimeSeconds',
    'audience',
    'stsEndpoint',
    'iamCredentialsEndpoint',
  ],
}
