import { z } from 'zod'

/**
 * A cloud credential: what a deployment federates with, one type per cloud (docs/azure.md,
 * docs/gcp.md). A project may have one credential per cloud; each cloud gets its own token.
 */

const common = {
  id: z.string(),
  organizationId: z.string(),
  scope: z.enum(['organization', 'project']),
  /** The keyless project of a project-scoped credential. */
  projectId: z.string().nullable(),
  name: z.string(),
  /** The credential's own subject template; null: the organization's. */
  subjectTemplate: z.string().nullable(),
  /** The projects the credential is assigned to. */
  projectIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
}

export const awsCredentialSchema = z.object({
  ...common,
  type: z.literal('aws-oidc'),
  roleArn: z.string(),
  durationSeconds: z.number().int(),
  planRoleArn: z.string().nullable(),
  region: z.string(),
  stsEndpoint: z.string().nullable(),
  sessionTags: z.boolean(),
  refresh: z.boolean(),
})

/** The fields of an Azure credential (also what the agent receives, src/shared/contracts/agent-api.ts). */
export const azureFieldsSchema = z.object({
  tenantId: z.string(),
  /** The application (client) id of the app registration or managed identity. */
  clientId: z.string(),
  subscriptionId: z.string(),
  /** The `aud` of the Azure token (the federated credential's audience). */
  audience: z.string(),
  authorityHost: z.string(),
  /** The client id the plan phase of a Terraform deploy uses (read-only identity). */
  planClientId: z.string().nullable(),
})

/** The fields of a GCP credential (also what the agent receives, with endpoints resolved). */
export const gcpFieldsSchema = z.object({
  projectNumber: z.string(),
  /** The Google Cloud project id (`projectId` is the keyless project of a project scope). */
  gcpProjectId: z.string(),
  poolId: z.string(),
  providerId: z.string(),
  serviceAccountEmail: z.string().nullable(),
  planServiceAccountEmail: z.string().nullable(),
  tokenLifetimeSeconds: z.number().int(),
  /** The `aud` of the GCP token (one of the provider's allowed audiences). */
  audience: z.string(),
  stsEndpoint: z.string().nullable(),
  iamCredentialsEndpoint: z.string().nullable(),
})

export const azureCredentialSchema = z.object({
  ...common,
  type: z.literal('azure-oidc'),
  ...azureFieldsSchema.shape,
})

export const gcpCredentialSchema = z.object({
  ...common,
  type: z.literal('gcp-oidc'),
  ...gcpFieldsSchema.shape,
})

export const credentialSchema = z.discriminatedUnion('type', [
  awsCredentialSchema,
  azureCredentialSchema,
  gcpCredentialSchema,
])
export type Credential = z.infer<typeof credentialSchema>
export type AwsCredential = z.infer<typeof awsCredentialSchema>
export type AzureCredential = z.infer<typeof azureCredentialSchema>
export type GcpCredential = z.infer<typeof gcpCredentialSchema>
