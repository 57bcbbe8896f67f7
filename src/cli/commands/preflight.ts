import type { Command } from 'commander'
import { clientOptions } from '../../shared/config/index.js'
import { KeylessError } from '../../shared/errors.js'
import { addOptions, type ParsedFlags } from '../options.js'
import {
  choiceOption,
  controlPlane,
  preflight,
  processIo,
  readProvider,
  readRole,
  type CommandIo,
} from '../../trust/index.js'

interface PreflightFlags {
  readonly environment: string
  readonly endpointUrl?: string
  readonly format: string
  readonly scope?: string
}

/** `keyless preflight --environment ID`: will the next deployment get in, and would others? */
export function register(program: Command, io: CommandIo = processIo): void {
  const command = program
    .command('preflight')
    .description(
      "Before a first run: explain what AWS would answer for the environment's next deployment (its claims against the role, read through IAM), then check that a sibling environment and another project would be denied; exit 0 passed, 1 failed",
    )
    .requiredOption('--environment <id>', 'environment id')
    .option('--endpoint-url <url>', 'IAM endpoint, e.g. the keyless emulator http://127.0.0.1:4566')
    .option(
      '--scope <scope>',
      'project (every environment of the project may deploy) or environment (only this one); default: what the role pins',
    )
    .option('--format <format>', 'text or json', 'text')
  const client = addOptions(command, clientOptions)
  command.action(async (flags: PreflightFlags & ParsedFlags) => {
    choiceOption(flags.format, '--format', ['text', 'json'])
    const config = client(flags)
    if (config.apiKey === undefined)
      throw new KeylessError(
        'usage_error',
        'preflight needs an API key: --api-key or KEYLESS_API_KEY',
      )
    if (flags.scope !== undefined && flags.scope !== 'project' && flags.scope !== 'environment')
      throw new KeylessError(
        'usage_error',
        `--scope must be project or environment (got ${JSON.stringify(flags.scope)})`,
      )
    const aws = flags.endpointUrl === undefined ? {} : { endpointUrl: flags.endpointUrl }
    const result = await preflight(
      flags.environment,
      {
        controlPlane: controlPlane({ server: config.server, apiKey: config.apiKey }),
        readRole: (arn) => readRole(arn, aws),
        readProvider: (account, url) => readProvider(account, url, aws),
        now: io.clock.now(),
      },
      flags.scope === undefined ? {} : { scope: flags.scope },
    )
    io.stdout.write(
      flags.format === 'json'
        ? `${JSON.stringify(result, null, 2)}\n`
        : `${result.lines.join('\n')}\n`,
    )
    io.setExitCode(result.ok ? 0 : 1)
  })
}
