import type { Command } from 'commander'
import { buildEmulator } from '../../emulator/index.js'
import { systemClock } from '../../shared/clock.js'
import { emulatorOptions, loadConfig } from '../../shared/config/index.js'
import { createLogger } from '../../shared/logger.js'

interface EmulatorFlags {
  readonly port?: string
  readonly host?: string
  readonly accountId?: string
  readonly state?: string
  readonly seed?: string
  readonly accessKeyId?: string
  readonly secretAccessKey?: string
  readonly allowHttpIssuers?: boolean
  readonly caFile?: string
  readonly verifyThumbprints?: boolean
  readonly jwksTimeoutMs?: string
  readonly logLevel?: string
}

/**
 * `keyless emulator`: the AWS STS + IAM emulator on its own (docs/architecture.md §2,
 * docs/emulator.md).
 */
export function register(program: Command): void {
  program
    .command('emulator')
    .description('Run the AWS STS + IAM emulator (strict OIDC federation, AWS wire protocol)')
    .option('--port <port>', 'port (default 4566; 0 = any free port)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--account-id <id>', 'emulated AWS account (default 123456789012)')
    .option('--state <memory|file>', 'memory, or a SQLite file kept across restarts')
    .option('--seed <file>', 'JSON file of providers and roles applied idempotently at start')
    .option('--access-key-id <id>', 'admin access key id for IAM calls (default test)')
    .option('--secret-access-key <secret>', 'admin secret access key (default test)')
    .option('--allow-http-issuers', 'accept plain-http issuers on any host')
    .option('--ca-file <file>', 'PEM bundle of extra CAs for https issuers')
    .option(
      '--verify-thumbprints',
      "check the JWKS host's certificate against provider thumbprints",
    )
    .option('--jwks-timeout-ms <ms>', 'timeout for discovery and JWKS fetches (default 5000)')
    .option('--log-level <level>', 'log level (default info)')
    .action((flags: EmulatorFlags) => run(flags))
}

async function run(flags: EmulatorFlags): Promise<void> {
  const config = loadConfig(emulatorOptions, { flags: { ...flags } })
  const logger = createLogger({ level: config.logLevel, name: 'emulator' })
  const app = await buildEmulator(config, { clock: systemClock, logger })
  const address = await app.listen({ port: config.port, host: config.host })
  process.stdout.write(`keyless emulator listening on ${address}\n`)
  const stop = (): void => {
    void app.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
