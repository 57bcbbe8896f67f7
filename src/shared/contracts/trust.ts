import { z } from 'zod'
import { roleSourceSchema } from './common.js'

/**
 * REST shapes of the trust tools (lint, explain, setup, thumbprint), shared by the server (which
 * filters its answers through them) and the console.
 */

export const lintFindingSchema = z.object({
  ruleId: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  statement: z.string().nullable(),
  key: z.string().nullable(),
  fix: z.string(),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
})

export const lintResponseSchema = z.object({
  findings: z.array(lintFindingSchema),
  summary: z.object({ errors: z.number(), warnings: z.number(), infos: z.number() }),
})

export const explainConditionSchema = z.object({
  operator: z.string(),
  key: z.string(),
  tokenValue: z.array(z.string()).nullable(),
  policyValues: z.array(z.string()),
  passed: z.boolean(),
})

export const explainStatementSchema = z.object({
  index: z.number().int(),
  statement: z.string(),
  sid: z.string().nullable(),
  effect: z.string().nullable(),
  action: z.string(),
  principalMatched: z.boolean().nullable(),
  actionMatched: z.boolean(),
  applies: z.boolean(),
  conditions: z.array(explainConditionSchema),
})

export const explainResponseSchema = z.object({
  decision: z.enum(['allowed', 'denied']),
  awsError: z.object({ code: z.string(), message: z.string() }).nullable(),
  assumedRoleArn: z.string().nullable(),
  summary: z.string(),
  signatureChecked: z.boolean(),
  roleArn: z.string(),
  roleSource: roleSourceSchema.nullable(),
  durationSeconds: z.number().int(),
  maxSessionDuration: z.number().int(),
  claims: z.record(z.string(), z.unknown()),
  checks: z.array(
    z.object({
      name: z.string(),
      status: z.enum(['ok', 'fail', 'skipped', 'warn']),
      passed: z.boolean(),
      message: z.string(),
    }),
  ),
  statements: z.array(explainStatementSchema),
  failing: z.array(
    z.object({
      statement: z.string(),
      operator: z.string(),
      key: z.string(),
      tokenValue: z.array(z.string()).nullable(),
      policyValues: z.array(z.string()),
      message: z.string(),
    }),
  ),
  lines: z.array(z.string()),
})

export const setupResponseSchema = z.object({
  format: z.string(),
  content: z.string(),
  trustPolicy: z.record(z.string(), z.unknown()),
  subjects: z.array(z.string()),
})

export const thumbprintResponseSchema = z.object({
  thumbprint: z.string().nullable(),
  message: z.string(),
})
export type LintFinding = z.infer<typeof lintFindingSchema>
export type LintResponse = z.infer<typeof lintResponseSchema>
export type ExplainCondition = z.infer<typeof explainConditionSchema>
export type ExplainStatement = z.infer<typeof explainStatementSchema>
export type ExplainResponse = z.infer<typeof explainResponseSchema>
export type SetupResponse = z.infer<typeof setupResponseSchema>
export type ThumbprintResponse = z.infer<typeof thumbprintResponseSchema>
