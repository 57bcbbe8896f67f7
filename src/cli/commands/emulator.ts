import type { Command } from 'commander'
import { buildEmulator } from '../../emulator/index.js'
import { DecisionLog } from '../../emulator/decisions.js'
import { systemClock } from '../../shared/clock.js'
import { emulatorOptions, type ConfigOf } from '../../shared/config/index.js'
import { createLogger } from '../../shared/logger.js'
import { cloudsOf, startAzureListener } from '../azure-listener.js'
import { startGcpListener } from '../gcp-listener.js'
import { sqliteState } from '../../emulator/state/sqlite.js'
import type { Collection } from '../../emulator/state/types.js'
import { listenOrConfigError } from '../listen.js'
import { addOptions, type ParsedFlags } from '../options.js'

/**
 * `keyless emulator`: the AWS STS + IAM, Entra ID and Google emulators, each on its own port
 * (docs/architecture.md §2, docs/emulator.md); `--clouds` chooses which listen.
 */
export function register(program: Command): void {
  const command = program
    .command('emulator')
    .description(
      'Run the cloud emulators: AWS STS + IAM, Entra ID and Google STS + IAM (strict OIDC federation)',
    )
  const load = addOptions(command, emulatorOptions)
  command.action((flags: ParsedFlags) => run(load(flags)))
}

async function run(config: ConfigOf<typeof emulatorOptions>): Promise<void> {
  const logger = createLogger({ level: config.logLevel, name: 'emulator' })
  const clouds = cloudsOf(config.clouds)
  let decisions: DecisionLog | undefined
  let documents: Collection<unknown> | undefined
  const closers: Array<() => Promise<unknown>> = []
  try {
    if (clouds.has('aws')) {
      const app = await buildEmulator(config, { clock: systemClock, logger })
      decisions = app.emulator.decisions
      documents = app.emulator.state.documents
      closers.push(() => app.close())
      const address = await listenOrConfigError(app, config.host, config.port, '--port')
      process.stdout.write(`keyless emulator listening on ${address}\n`)
    }
    if (clouds.has('azure')) {
      decisions ??= new DecisionLog(1000)
      documents ??= ownState(config.state, closers)
      const azure = await startAzureListener(
        config,
        config.dataDir,
        decisions,
        '--azure-port',
        documents,
      )
      closers.push(() => azure.app.close())
      process.stdout.write(
        `keyless Entra ID emulator listening on ${azure.url} (CA ${azure.caFile})\n`,
      )
    }
    if (clouds.has('gcp')) {
      decisions ??= new DecisionLog(1000)
      documents ??= ownState(config.state, closers)
      const gcp = await startGcpListener(config, decisions, '--gcp-port', documents)
      closers.push(() => gcp.app.close())
      process.stdout.write(`keyless Google emulator listening on ${gcp.url}\n`)
    }
  } catch (error) {
    await Promise.all(closers.map((c) => c().catch(() => undefined)))
    throw error
  }
  const stop = (): void => {
    void Promise.all(closers.map((c) => c())).then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

/** The state of an emulator without its AWS listener (`--clouds azure`): memory, or the file. */
function ownState(
  state: string,
  closers: Array<() => Promise<unknown>>,
): Collection<unknown> | undefined {
  if (state === 'memory') return undefined
  const opened = sqliteState(state)
  closers.push(() => Promise.resolve(opened.close()))
  return opened.documents
}
