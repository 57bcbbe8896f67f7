import { z } from 'zod'
import { deploymentStatusSchema, deploymentTypeSchema, roleSourceSchema } from './common.js'
import { stepStatusSchema } from './agent-api.js'

/** A deployment and its steps, as the REST API and `keyless deploy` see it. */

export const deploymentStepSchema = z.object({
  index: z.number().int(),
  name: z.string(),
  status: stepStatusSchema,
  exitCode: z.number().int().nullable(),
})

export const failureSchema = z.object({
  code: z.string().optional(),
  message: z.string(),
  explanation: z.array(z.string()).optional(),
})

export const deploymentSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  projectId: z.string(),
  environmentId: z.string(),
  templateId: z.string(),
  type: deploymentTypeSchema,
  status: deploymentStatusSchema,
  deployerEmail: z.string(),
  agentName: z.string().nullable(),
  leaseExpiresAt: z.string().nullable(),
  cancelRequested: z.boolean(),
  credentialId: z.string().nullable(),
  roleArn: z.string().nullable(),
  roleSource: roleSourceSchema.nullable(),
  assumedRoleArn: z.string().nullable(),
  message: z.string().nullable(),
  failure: failureSchema.nullable(),
  steps: z.array(deploymentStepSchema),
  lastTokenClaims: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  claimedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
})
export type Deployment = z.infer<typeof deploymentSchema>
