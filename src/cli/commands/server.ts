import type { Command } from 'commander'
import { serverOptions, type ConfigOf } from '../../shared/config/index.js'
import { startControlPlane } from '../control-plane.js'
import { addOptions, type ParsedFlags } from '../options.js'

/** `keyless server`: the control plane only (production; replicas may share one PostgreSQL). */
export function register(program: Command): void {
  const command = program
    .command('server')
    .description('Run the control plane: REST API, agent API, OIDC issuer, web console')
  const load = addOptions(command, serverOptions)
  command.action((flags: ParsedFlags) => run(load(flags)))
}

/** Requests still in flight this long after SIGTERM are cut off. */
const DRAIN_MS = 30_000

async function run(config: ConfigOf<typeof serverOptions>): Promise<void> {
  const plane = await startControlPlane(config)
  let stopping = false
  // First signal: stop accepting, let requests in flight finish (long polls answer 204, log
  // streams end), close the database, exit 0. A second signal, or the drain time, cuts off the rest.
  const stop = (): void => {
    const cutOff = (): void => plane.app.server.closeAllConnections()
    if (stopping) {
      cutOff()
      return
    }
    stopping = true
    process.stdout.write('keyless server: draining (signal again to cut requests off)\n')
    setTimeout(cutOff, DRAIN_MS).unref()
    void plane.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
