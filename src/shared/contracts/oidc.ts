import { z } from 'zod'
import { roleSourceSchema } from './common.js'

/** An organization's OIDC settings (`GET /api/v1/organizations/{id}/oidc`). */
export const oidcSettingsSchema = z.object({
  issuer: z.string(),
  jwksUri: z.string(),
  audience: z.string(),
  subjectTemplate: z.string(),
  exampleSubject: z.string(),
  /** The issuer without its scheme: the prefix of AWS condition keys (`<prefix>:aud`, `<prefix>:sub`). */
  conditionKeyPrefix: z.string(),
  previousSubjectTemplate: z.string().nullable(),
  previousExampleSubject: z.string().nullable(),
  /** Whether tokens carry session tags: true unless every credential of the organization turns them off. */
  sessionTags: z.boolean(),
  mintingStopped: z.boolean(),
})
export type OidcSettings = z.infer<typeof oidcSettingsSchema>

/** The claims an environment's next deployment token would carry (`GET …/oidc-preview`). */
export const oidcPreviewSchema = z.object({
  claims: z.record(z.string(), z.unknown()),
  omittedTags: z.array(z.object({ key: z.string(), reason: z.string() })),
  roleArn: z.string().nullable(),
  roleSource: roleSourceSchema.nullable(),
  durationSeconds: z.number().int().nullable(),
  credentialId: z.string().nullable(),
})
export type OidcPreview = z.infer<typeof oidcPreviewSchema>
