import { z } from 'zod'

/** A cloud credential: the role a deployment assumes with its OIDC token. */

export const credentialSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  scope: z.enum(['organization', 'project']),
  projectId: z.string().nullable(),
  name: z.string(),
  type: z.literal('aws-oidc'),
  roleArn: z.string(),
  durationSeconds: z.number().int(),
  planRoleArn: z.string().nullable(),
  region: z.string(),
  stsEndpoint: z.string().nullable(),
  sessionTags: z.boolean(),
  refresh: z.boolean(),
  /** The projects the credential is assigned to. */
  projectIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Credential = z.infer<typeof credentialSchema>
