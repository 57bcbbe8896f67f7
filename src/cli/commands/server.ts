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

/** After the cut-off, how long closing the database may take before the process exits anyway. */
const CLOSE_GRACE_MS = 2000

async function run(config: ConfigOf<typeof serverOptions>): Promise<void> {
  const plane = await startControlPlane(config)
  let stopping = false
  // First signal: stop accepting, let requests in flight finish (long polls answer 204, log
  // streams end), close the database, exit 0. A second signal, or `--drain-seconds`, cuts off the
  // rest; should closing still hang then (a database that does not answer), the process exits 1.
  const cutOff = (): void => {
    plane.app.server.closeAllConnections()
    setTimeout(() => process.exit(1), CLOSE_GRACE_MS).unref()
  }
  const stop = (): void => {
    if (stopping) {
      cutOff()
      return
    }
    stopping = true
    const limit = config.drainSeconds === 0 ? 'without limit' : `up to ${config.drainSeconds} s`
    process.stdout.write(
      `keyless server: draining, waiting ${limit} for requests in flight (signal again to cut them off)\n`,
    )
    if (config.drainSeconds > 0) setTimeout(cutOff, config.drainSeconds * 1000).unref()
    void plane.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
