/**
 * The resources of the REST API (camelCase, flat), one file per resource in src/shared/contracts.
 * The server validates every answer against these schemas, so a field not declared there never
 * leaves the process; clients parse answers with the same schemas.
 */
export * from './organization.js'
export * from './project.js'
export * from './template.js'
export * from './environment.js'
export * from './variable.js'
export * from './credential.js'
export * from './deployment.js'
export * from './plan.js'
export * from './log-entry.js'
export * from './api-key.js'
export * from './agent-token.js'
export * from './audit-event.js'
export * from './page.js'
export * from './oidc.js'
export * from './agent-presence.js'
export * from './error.js'
