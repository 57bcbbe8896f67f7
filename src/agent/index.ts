/** The self-hosted agent (docs/architecture.md §5). */
export { Agent, type AgentSettings, type AgentDeps, type AgentEvent } from './agent.js'
export { AgentApiClient } from './client.js'
export { Replicas, isReplicaGone, loggableUrl } from './replicas.js'
