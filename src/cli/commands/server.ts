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

async function run(config: ConfigOf<typeof serverOptions>): Promise<void> {
  const plane = await startControlPlane(config)
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    void plane.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
