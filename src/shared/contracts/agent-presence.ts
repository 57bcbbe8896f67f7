import { z } from 'zod'

/**
 * Which agents serve an organization (`GET /api/v1/organizations/{id}/agents`): its agent tokens
 * that were used, newest first. An agent uses its token on every claim and heartbeat, and keyless
 * records the use at most once a minute, so an agent is seen when its token was used within
 * `windowSeconds`.
 */
export const agentPresenceSchema = z.object({
  organizationId: z.string(),
  /** True when some agent was seen within the window. */
  serving: z.boolean(),
  windowSeconds: z.number().int(),
  agents: z.array(
    z.object({
      tokenId: z.string(),
      name: z.string(),
      lastSeenAt: z.string(),
      recent: z.boolean(),
    }),
  ),
})
export type AgentPresence = z.infer<typeof agentPresenceSchema>

/** Recording a token use at most once a minute, plus the longest claim long poll (30 s), plus slack. */
export const AGENT_SEEN_WINDOW_SECONDS = 120
