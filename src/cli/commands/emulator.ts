import type { Command } from 'commander'
import { buildEmulator } from '../../emulator/index.js'
import { systemClock } from '../../shared/clock.js'
import { emulatorOptions, type ConfigOf } from '../../shared/config/index.js'
import { createLogger } from '../../shared/logger.js'
import { listenOrConfigError } from '../listen.js'
import { addOptions, type ParsedFlags } from '../options.js'

/**
 * `keyless emulator`: the AWS STS + IAM emulator on its own (docs/architecture.md §2,
 * docs/emulator.md).
 */
export function register(program: Command): void {
  const command = program
    .command('emulator')
    .description('Run the AWS STS + IAM emulator (strict OIDC federation, AWS wire protocol)')
  const load = addOptions(command, emulatorOptions)
  command.action((flags: ParsedFlags) => run(load(flags)))
}

async function run(config: ConfigOf<typeof emulatorOptions>): Promise<void> {
  const logger = createLogger({ level: config.logLevel, name: 'emulator' })
  const app = await buildEmulator(config, { clock: systemClock, logger })
  const address = await listenOrConfigError(app, config.host, config.port, '--port')
  process.stdout.write(`keyless emulator listening on ${address}\n`)
  const stop = (): void => {
    void app.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
