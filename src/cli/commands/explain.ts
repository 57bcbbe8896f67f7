import type { Command } from 'commander'
import { KeylessError } from '../../shared/errors.js'
import {
  decodeToken,
  explainWebIdentity,
  intOption,
  processIo,
  providerUrlOf,
  readPathOrStdin,
  readProvider,
  readRole,
  readValue,
  type CommandIo,
  type ExplainInput,
} from '../../trust/index.js'

interface ExplainFlags {
  readonly token?: string
  readonly trustPolicy?: string
  readonly roleArn?: string
  readonly endpointUrl?: string
  readonly duration?: string
  readonly maxSessionDuration?: string
  readonly roleSessionName?: string
  readonly format: string
}

/** `keyless explain`: what STS would answer for a token against a role, and why. */
export function register(program: Command, io: CommandIo = processIo): void {
  program
    .command('explain')
    .description(
      'Decide, step by step, what AWS would answer to AssumeRoleWithWebIdentity for a token against a trust policy or a live role (offline: the signature is not checked); exit 0 allowed, 1 denied',
    )
    .requiredOption('--token <jwt>', 'the token: JWT, @file, or - for standard input')
    .option('--trust-policy <file>', 'the trust policy JSON file')
    .option(
      '--role-arn <arn>',
      'the role (read through IAM GetRole unless --trust-policy is given)',
    )
    .option('--endpoint-url <url>', 'IAM endpoint, e.g. the keyless emulator http://127.0.0.1:4566')
    .option('--duration <seconds>', 'DurationSeconds the deployment requests', '3600')
    .option(
      '--max-session-duration <seconds>',
      "the role's MaxSessionDuration (read from the role when live)",
    )
    .option('--role-session-name <name>', "RoleSessionName (default the token's deploymentId)")
    .option('--format <format>', 'text or json', 'text')
    .action(async (flags: ExplainFlags) => {
      if (!['text', 'json'].includes(flags.format))
        throw new KeylessError(
          'usage_error',
          `--format must be text or json (got ${JSON.stringify(flags.format)})`,
        )
      if (flags.trustPolicy === undefined && flags.roleArn === undefined)
        throw new KeylessError(
          'usage_error',
          'give --trust-policy FILE, or --role-arn ARN (with --endpoint-url for the emulator)',
        )
      const token = await readValue(flags.token ?? '', io)
      const now = io.clock.now()
      const decoded = decodeToken(token, now)
      const duration = intOption(flags.duration, '--duration', 900, 43200)
      let maxSessionDuration = intOption(
        flags.maxSessionDuration,
        '--max-session-duration',
        3600,
        43200,
      )
      let trustPolicy: string
      let provider: ExplainInput['provider']
      let roleArn = flags.roleArn
      if (flags.trustPolicy !== undefined)
        trustPolicy = (await readPathOrStdin(flags.trustPolicy, io)).text
      else {
        const aws = flags.endpointUrl === undefined ? {} : { endpointUrl: flags.endpointUrl }
        const role = await readRole(flags.roleArn ?? '', aws)
        trustPolicy = role.trustPolicy
        roleArn = role.arn
        maxSessionDuration ??= role.maxSessionDuration
        const iss = decoded.claims['iss']
        if (typeof iss === 'string')
          provider = (await readProvider(role.accountId, providerUrlOf(iss), aws)) ?? null
      }
      const explanation = explainWebIdentity({
        token,
        trustPolicy,
        ...(roleArn === undefined ? {} : { roleArn }),
        ...(duration === undefined ? {} : { duration }),
        ...(maxSessionDuration === undefined ? {} : { maxSessionDuration }),
        ...(provider === undefined ? {} : { provider }),
        ...(flags.roleSessionName === undefined ? {} : { roleSessionName: flags.roleSessionName }),
        now,
      })
      io.stdout.write(
        flags.format === 'json'
          ? `${JSON.stringify(explanation, null, 2)}\n`
          : `${explanation.lines.join('\n')}\n`,
      )
      io.setExitCode(explanation.decision === 'allowed' ? 0 : 1)
    })
}
