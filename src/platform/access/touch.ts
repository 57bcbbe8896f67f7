import type { PlatformContext } from '../context.js'

export type Credentialed = 'api_keys' | 'agent_tokens'

/**
 * Updates `last_used_at` at most once a minute, so auth costs one read per request. Returns the
 * `last_used_at` now stored.
 */
export async function touchLastUsed(
  ctx: PlatformContext,
  table: Credentialed,
  id: string,
  lastUsed: string | null,
): Promise<string | null> {
  const now = ctx.clock.now()
  if (lastUsed !== null && now.getTime() - Date.parse(lastUsed) < 60_000) return lastUsed
  const at = now.toISOString()
  await ctx.db.updateTable(table).set({ last_used_at: at }).where('id', '=', id).execute()
  return at
}
