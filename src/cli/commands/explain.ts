import type { Command } from 'commander'
import {
  choiceOption,
  EXPLAIN_CLOUDS,
  explainerFor,
  processIo,
  type CommandIo,
  type ExplainOptions,
} from '../../trust/index.js'

type ExplainFlags = ExplainOptions & { readonly cloud: string; readonly format: string }

/** `keyless explain`: what the cloud would answer for a token, and why (src/trust/explain/). */
export function register(program: Command, io: CommandIo = processIo): void {
  program
    .command('explain')
    .description(
      'Decide, step by step, what the cloud would answer for a token (AWS: AssumeRoleWithWebIdentity against a trust policy or a live role), with the same checks as the emulator (offline: the signature is not checked); exit 0 allowed, 1 denied',
    )
    .requiredOption('--token <jwt>', 'the token: JWT, @file, or - for standard input')
    .option('--cloud <cloud>', `the cloud: ${EXPLAIN_CLOUDS.join(', ')}`, 'aws')
    .option('--trust-policy <file>', 'aws: the trust policy JSON file')
    .option(
      '--role-arn <arn>',
      'aws: the role (read through IAM GetRole unless --trust-policy is given)',
    )
    .option(
      '--endpoint-url <url>',
      'aws: IAM endpoint, e.g. the keyless emulator http://127.0.0.1:4566',
    )
    .option('--duration <seconds>', 'aws: DurationSeconds the deployment requests', '3600')
    .option(
      '--max-session-duration <seconds>',
      "aws: the role's MaxSessionDuration (read from the role when live)",
    )
    .option('--role-session-name <name>', "aws: RoleSessionName (default the token's deploymentId)")
    .option('--format <format>', 'text or json', 'text')
    .action(async ({ cloud, format, ...options }: ExplainFlags) => {
      choiceOption(format, '--format', ['text', 'json'])
      const explanation = await explainerFor(cloud).explain(options, io)
      io.stdout.write(
        format === 'json'
          ? `${JSON.stringify(explanation, null, 2)}\n`
          : `${explanation.lines.join('\n')}\n`,
      )
      io.setExitCode(explanation.decision === 'allowed' ? 0 : 1)
    })
}
