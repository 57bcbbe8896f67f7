import { join } from 'node:path'
import type { Cloud } from '../../shared/contracts/common.js'
import { mintOrFail } from '../credentials.js'
import { TokenKeeper } from '../token-keeper.js'
import type { CloudContext } from './types.js'

/**
 * A cloud's own token for the phase (its audience, its subject), minted now and kept fresh in
 * `<work-dir>/<cloud>-token` once `start()`ed; a mint that fails ends the deployment.
 */
export async function cloudToken(
  ctx: CloudContext,
  cloud: Cloud,
): Promise<{ keeper: TokenKeeper; token: string }> {
  const keeper = new TokenKeeper({
    mintToken: () => ctx.mintToken(ctx.phase, cloud),
    file: join(ctx.workDir, `${cloud}-token`),
    clock: ctx.clock,
    secrets: ctx.secrets,
    system: ctx.system,
  })
  return { keeper, token: (await mintOrFail(keeper)).token }
}
