import { z } from 'zod'
import {
  deploymentStatusSchema,
  deploymentTypeSchema,
  roleSourceSchema,
  runPhaseSchema,
} from './common.js'
import { stepStatusSchema } from './agent-api.js'
import { approvalSchema, planSummarySchema, waitingForSchema } from './plan.js'

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
  /** The AWS credential the deployment was claimed with; null before the claim or without one. */
  credentialId: z.string().nullable(),
  /** The Azure credential it was claimed with (the project may since have another, or none). */
  azureCredentialId: z.string().nullable(),
  /** The GCP credential it was claimed with (the project may since have another, or none). */
  gcpCredentialId: z.string().nullable(),
  roleArn: z.string().nullable(),
  roleSource: roleSourceSchema.nullable(),
  assumedRoleArn: z.string().nullable(),
  message: z.string().nullable(),
  failure: failureSchema.nullable(),
  steps: z.array(deploymentStepSchema),
  lastTokenClaims: z.record(z.string(), z.unknown()).nullable(),
  /** Terraform/OpenTofu: what the plan would do (docs/state.md); null before the plan ran. */
  plan: planSummarySchema.nullable(),
  /** The phase running now or last (`plan|apply|task`); null before the first step. */
  runPhase: runPhaseSchema.nullable(),
  /** The decision on a deployment that waited for approval. */
  approval: approvalSchema.nullable(),
  /** Queued only: why it waits (its environment is busy, or its state is locked). */
  waitingFor: waitingForSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  claimedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
})
export type Deployment = z.infer<typeof deploymentSchema>
