import { z } from 'zod'

/**
 * `GET /api/v1/organizations/{id}/setup/azure`: what `keyless setup azure` computes for the
 * organization — the issuer, each azure-oidc credential, the subject each environment's tokens
 * carry, the federated identity credentials (FICs) each application needs and the generated code
 * (docs/azure.md).
 */

export const AZURE_SETUP_FORMATS = ['terraform', 'cli', 'json'] as const

const graphFicSchema = z.object({
  name: z.string(),
  issuer: z.string(),
  subject: z.string(),
  description: z.string(),
  audiences: z.array(z.string()),
})

export const azureSetupResponseSchema = z.object({
  issuer: z.string(),
  format: z.enum(AZURE_SETUP_FORMATS),
  /** The generated Terraform, az script or JSON; null when an application needs more than 20. */
  content: z.string().nullable(),
  credentials: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      clientId: z.string(),
      planClientId: z.string().nullable(),
      audience: z.string(),
      subjectTemplate: z.string(),
    }),
  ),
  environments: z.array(
    z.object({
      credentialId: z.string(),
      projectId: z.string(),
      environmentId: z.string(),
      /** The subjects its tokens carry, by application (planClientId: the plan phase). */
      subjects: z.array(
        z.object({
          clientId: z.string(),
          subject: z.string(),
          runPhases: z.array(z.string()),
          deploymentTypes: z.array(z.string()),
        }),
      ),
    }),
  ),
  applications: z.array(
    z.object({
      clientId: z.string(),
      role: z.enum(['deploy', 'plan']),
      count: z.number().int(),
      limit: z.number().int(),
      federatedIdentityCredentials: z.array(graphFicSchema),
    }),
  ),
  overLimit: z.array(
    z.object({
      clientId: z.string(),
      needed: z.number().int(),
      message: z.string(),
      suggestedTemplate: z.string().nullable(),
      suggestedCount: z.number().int().nullable(),
    }),
  ),
  /** Things to know (a credential assigned to no project, nothing to set up). */
  notes: z.array(z.string()),
})
export type AzureSetupResponse = z.infer<typeof azureSetupResponseSchema>
