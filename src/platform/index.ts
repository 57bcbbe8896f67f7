import type { Clock } from '../shared/clock.js'
import type { Logger } from '../shared/logger.js'
import type { Store } from '../store/database.js'
import { accessService } from './access.js'
import { auditService } from './audit.js'
import { createContext, type PlatformContext, type PlatformOptions } from './context.js'
import { credentialsService } from './credentials.js'
import { deploymentsService } from './deployments.js'
import { environmentsService } from './environments.js'
import { idempotencyService } from './idempotency.js'
import { logsService } from './logs.js'
import { organizationsService } from './organizations.js'
import { projectsService } from './projects.js'
import { queueService } from './queue.js'
import { stateAdminService } from './state/admin.js'
import { approvalService } from './approval.js'
import { stateBackendService } from './state/backend.js'
import { statsService } from './stats.js'
import { templatesService } from './templates.js'
import { tokenContextService } from './token-context.js'
import { variablesService } from './variables.js'

export interface PlatformDeps {
  readonly store: Store
  readonly clock: Clock
  readonly logger?: Logger
  readonly options?: PlatformOptions
}

/**
 * The platform (docs/architecture.md §4): services with plain inputs and outputs, no HTTP. Every
 * method takes the principal asking first and checks what it may see and do; a foreign
 * organization's object is `not_found`. Inputs are validated with zod; errors are KeylessErrors.
 */
export function createPlatform(deps: PlatformDeps) {
  const ctx: PlatformContext = createContext(deps.store, deps.clock, deps.logger, deps.options)
  const access = accessService(ctx)
  const tokens = tokenContextService(ctx)
  return {
    context: ctx,
    events: ctx.events,
    organizations: organizationsService(ctx),
    projects: projectsService(ctx),
    templates: templatesService(ctx),
    environments: environmentsService(ctx),
    variables: variablesService(ctx),
    credentials: credentialsService(ctx),
    deployments: deploymentsService(ctx),
    approval: approvalService(ctx),
    logs: logsService(ctx),
    queue: queueService(ctx),
    state: stateBackendService(ctx),
    stateAdmin: stateAdminService(ctx),
    audit: auditService(ctx),
    stats: statsService(ctx),
    idempotency: idempotencyService(ctx),
    apiKeys: access.apiKeys,
    agentTokens: access.agentTokens,
    authenticateKey: access.authenticateKey,
    authenticateAgent: access.authenticateAgent,
    bootstrapOwner: access.bootstrapOwner,
    tokenContext: tokens.tokenContext,
    recordMint: tokens.recordMint,
    previewContext: tokens.previewContext,
  }
}

export type Platform = ReturnType<typeof createPlatform>

export type { Principal } from './principal.js'
export type { PlatformOptions } from './context.js'
export type { MintPlan, MintRecord } from './token-context.js'
export type { Page, PageRequest } from './pagination.js'
export * from './resources.js'
