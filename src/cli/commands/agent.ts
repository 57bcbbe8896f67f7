import type { Command } from 'commander'
import { hostname } from 'node:os'
import { resolve } from 'node:path'
import { Agent } from '../../agent/index.js'
import { systemClock } from '../../shared/clock.js'
import { agentOptions, loadConfig, processEnv } from '../../shared/config/index.js'
import { errorTable } from '../../shared/error-codes.js'
import { createLogger } from '../../shared/logger.js'

interface AgentFlags {
  readonly server?: string
  readonly token?: string
  readonly workDir?: string
  readonly concurrency?: string
  readonly name?: string
  readonly claimWait?: string
  readonly cancelGrace?: string
  readonly logLevel?: string
}

/** `keyless agent`: the self-hosted agent (docs/architecture.md §2, §5; docs/deployments.md). */
export function register(program: Command): void {
  program
    .command('agent')
    .description('Run a self-hosted agent: claim queued deployments and run them')
    .option('--server <url>', 'control plane URL (default http://127.0.0.1:8080)')
    .option('--token <token>', 'agent token (or KEYLESS_AGENT_TOKEN)')
    .option('--work-dir <dir>', 'directory where deployments run (default ./.keyless/work)')
    .option('--concurrency <n>', 'deployments run at once (default 1)')
    .option('--name <name>', 'name reported when claiming (default host:pid)')
    .option('--claim-wait <seconds>', 'seconds one claim long poll waits (default 20)')
    .option('--cancel-grace <seconds>', 'SIGTERM → SIGKILL grace for steps (default 10)')
    .option('--log-level <level>', 'log level (default info)')
    .action((flags: AgentFlags) => run(flags))
}

function run(flags: AgentFlags): void {
  const config = loadConfig(agentOptions, { flags: { ...flags } })
  const logger = createLogger({ level: config.logLevel, name: 'agent' })
  const name = config.name ?? `${hostname()}:${process.pid}`
  const agent = new Agent(
    {
      server: config.server,
      token: config.token,
      workDir: resolve(config.workDir),
      concurrency: config.concurrency,
      name,
      claimWaitSeconds: config.claimWaitSeconds,
      cancelGraceSeconds: config.cancelGraceSeconds,
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
            { deploymentId: e.deploymentId, status: e.result.status, message: e.result.message },
            'finished',
          )
      },
    },
  )
  agent.start()
  process.stdout.write(
    `keyless agent ${name} polling ${config.server} (concurrency ${config.concurrency})\n`,
  )
  // First signal: stop claiming and let running deployments finish. Second: stop them too.
  let signals = 0
  const onSignal = (): void => {
    signals += 1
    if (signals === 1) {
      process.stdout.write(
        `keyless agent: stopping; waiting for ${agent.running.length} running deployment(s) (signal again to cancel them)\n`,
      )
      void agent.stop().then(() => process.exit(0))
    } else {
      void agent.stop({ cancelRunning: true }).then(() => process.exit(0))
    }
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}
