import { z } from 'zod'

/**
 * `GET /api/v1/organizations/{id}/setup/gcp`: what `keyless setup gcp` computes for the
 * organization — the issuer, each gcp-oidc credential, the pools, providers and bindings Google
 * needs, and the generated code (docs/gcp.md, "Setup").
 */

export const GCP_SETUP_FORMATS = ['terraform', 'gcloud', 'json'] as const

export const gcpSetupResponseSchema = z.object({
  issuer: z.string(),
  format: z.enum(GCP_SETUP_FORMATS),
  /** The generated Terraform, gcloud script or JSON; null when a subject is over 127 bytes. */
  content: z.string().nullable(),
  credentials: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      projectNumber: z.string(),
      poolId: z.string(),
      providerId: z.string(),
      serviceAccountEmail: z.string().nullable(),
      audience: z.string(),
      subjectTemplate: z.string(),
    }),
  ),
  providers: z.array(
    z.object({
      name: z.string(),
      issuerUri: z.string(),
      allowedAudiences: z.array(z.string()),
      attributeMapping: z.record(z.string(), z.string()),
      attributeCondition: z.string(),
    }),
  ),
  bindings: z.array(
    z.object({ serviceAccountEmail: z.string(), role: z.string(), member: z.string() }),
  ),
  tooLong: z.array(
    z.object({
      credential: z.string(),
      subject: z.string(),
      bytes: z.number().int(),
      message: z.string(),
      suggestedTemplate: z.string().nullable(),
    }),
  ),
  /** Things to know (a credential assigned to no project, a refused setting). */
  notes: z.array(z.string()),
})
export type GcpSetupResponse = z.infer<typeof gcpSetupResponseSchema>
