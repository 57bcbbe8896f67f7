/** The self-hosted agent (DESIGN §5). */
export { Agent, type AgentSettings, type AgentDeps, type AgentEvent } from './agent.js'
export { AgentApiClient } from './client.js'
