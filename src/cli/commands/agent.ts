import type { Command } from 'commander'
import { hostname } from 'node:os'
import { resolve } from 'node:path'
import { Agent, loggableUrl } from '../../agent/index.js'
import { systemClock } from '../../shared/clock.js'
import { agentOptions, processEnv, type ConfigOf } from '../../shared/config/index.js'
import { errorTable } from '../../shared/error-codes.js'
import { createLogger } from '../../shared/logger.js'
import { addOptions, type ParsedFlags } from '../options.js'

/** `keyless agent`: the self-hosted agent (docs/architecture.md §2, §5; docs/deployments.md). */
export function register(program: Command): void {
  const command = program
    .command('agent')
    .description('Run a self-hosted agent: claim queued deployments and run them')
  const load = addOptions(command, agentOptions)
  command.action((flags: ParsedFlags) => run(load(flags)))
}

function run(config: ConfigOf<typeof agentOptions>): void {
  const logger = createLogger({ level: config.logLevel, name: 'agent' })
  const name = config.name ?? `${hostname()}:${process.pid}`
  const agent = new Agent(
    {
      servers: config.server,
      token: config.token,
      workDir: resolve(config.workDir),
      concurrency: config.concurrency,
      name,
      claimWaitSeconds: config.claimWaitSeconds,
      cancelGraceSeconds: config.cancelGraceSeconds,
      ...(config.cloudCaFile === undefined ? {} : { cloudCaFile: resolve(config.cloudCaFile) }),
      baseEnv: processEnv(),
    },
    {
      clock: systemClock,
      logger,
      onEvent: (e) => {
        if (e.type === 'fatal') {
          process.stderr.write(`keyless: ${e.message}\n`)
          void agent.stop().then(() => process.exit(errorTable.unauthorized.exit))
        }
        if (e.type === 'claimed') logger.info({ deploymentId: e.deploymentId }, 'claimed')
        if (e.type === 'finished')
          logger.info(
            {
              deploymentId: e.deploymentId,
              status: e.result.status,
              message: e.result.message,
              timings: e.result.timings,
            },
            'finished',
          )
      },
    },
  )
  agent.start()
  process.stdout.write(
    `keyless agent ${name} polling ${config.server.map(loggableUrl).join(', ')} (concurrency ${config.concurrency})\n`,
  )
  // First signal: stop claiming and let running deployments finish. Second: stop them too.
  let signals = 0
  const onSignal = (): void => {
    signals += 1
    if (signals === 1) {
      process.stdout.write(
        `keyless agent: stopping; waiting ${config.drainSeconds === 0 ? 'without limit' : `up to ${config.drainSeconds} s`} for ${agent.running.length} running deployment(s) (signal again to cancel them)\n`,
      )
      void agent.stop({ graceSeconds: config.drainSeconds }).then(() => process.exit(0))
    } else {
      void agent.stop({ cancelRunning: true }).then(() => process.exit(0))
    }
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}
