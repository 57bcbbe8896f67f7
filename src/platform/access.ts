import type { PlatformContext } from './context.js'
import { agentTokensService } from './access/agent-tokens.js'
import { apiKeysService } from './access/api-keys.js'
import { bootstrapOwner } from './access/owner.js'

export { createAgentTokenSchema, type CreateAgentTokenInput } from './access/agent-tokens.js'
export { createApiKeySchema, type CreateApiKeyInput, KEY_CACHE_TTL_MS } from './access/api-keys.js'
export { keyPrincipal } from './access/roles.js'
export { AGENT_TOKEN_PREFIX, API_KEY_PREFIX, hashSecret, OWNER_KEY_ID } from './access/secrets.js'

/**
 * Access: API keys and agent tokens (created, listed, revoked; stored hashed; src/platform/access/
 * has one file per concept), authentication of both, and the bootstrap owner key.
 */
export function accessService(ctx: PlatformContext) {
  const apiKeys = apiKeysService(ctx)
  const agentTokens = agentTokensService(ctx)
  return {
    /** The principal of an API key (REST API), or null when unknown or revoked. */
    authenticateKey: apiKeys.authenticate,
    /** The principal of an agent token (agent API), or null when unknown or revoked. */
    authenticateAgent: agentTokens.authenticate,
    bootstrapOwner: (options: { key?: string | undefined; email: string }) =>
      bootstrapOwner(ctx, options),
    apiKeys: { create: apiKeys.create, list: apiKeys.list, revoke: apiKeys.revoke },
    agentTokens: {
      create: agentTokens.create,
      list: agentTokens.list,
      revoke: agentTokens.revoke,
      presence: agentTokens.presence,
    },
  }
}
