/**
 * The REST resources the console reads: the server's own contract (src/shared/contracts),
 * imported as types only, so the console never guesses a shape and never bundles zod.
 */
import type { DeploymentStatus } from '../../../src/shared/contracts/common.js'

export type {
  Cloud,
  DeploymentStatus,
  DeploymentType,
  KeyRole,
  TemplateType,
} from '../../../src/shared/contracts/common.js'
export type { Organization } from '../../../src/shared/contracts/organization.js'
export type { Project } from '../../../src/shared/contracts/project.js'
export type { Template } from '../../../src/shared/contracts/template.js'
export type { Environment } from '../../../src/shared/contracts/environment.js'
export type { Variable, VariableScope } from '../../../src/shared/contracts/variable.js'
export type { Credential } from '../../../src/shared/contracts/credential.js'
export type { Deployment } from '../../../src/shared/contracts/deployment.js'
export type { PlanAction, PlanSummary } from '../../../src/shared/contracts/plan.js'
export type { LogEntry } from '../../../src/shared/contracts/log-entry.js'
export type { ApiKey, NewApiKey } from '../../../src/shared/contracts/api-key.js'
export type { AgentToken, NewAgentToken } from '../../../src/shared/contracts/agent-token.js'
export type { AuditEvent } from '../../../src/shared/contracts/audit-event.js'
export type { AuditAction } from '../../../src/shared/contracts/audit-action.js'
export type { OidcSettings, OidcPreview } from '../../../src/shared/contracts/oidc.js'
export type { AzureSetupResponse } from '../../../src/shared/contracts/azure-setup.js'
export type { GcpSetupResponse } from '../../../src/shared/contracts/gcp-setup.js'
export type {
  ExplainCondition,
  ExplainResponse,
  ExplainStatement,
  LintFinding,
  LintResponse,
  SetupResponse,
  ThumbprintResponse,
} from '../../../src/shared/contracts/trust.js'
export type {
  StateLock,
  StateOutputs,
  StateResources,
  StateVersion,
} from '../../../src/shared/contracts/state.js'

/** A page of a keyset-paged list (`?cursor=` takes `nextCursor`). */
export interface Page<T> {
  readonly items: T[]
  readonly nextCursor: string | null
}

export type TemplateStep = { readonly name: string; readonly run: string }

/** Statuses after which a deployment never changes again. */
export const FINISHED: readonly DeploymentStatus[] = [
  'succeeded',
  'failed',
  'cancelled',
  'rejected',
]
