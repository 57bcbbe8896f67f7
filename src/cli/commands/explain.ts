import type { Command } from 'commander'
import { addCloudAdminToken, cloudAdminToken } from '../cloud-admin-token.js'
import { addOptions, type ParsedFlags } from '../options.js'
import { previewToken } from '../preview-token.js'
import { ControlPlaneClient } from '../../client/index.js'
import { clientOptions, type ConfigOf } from '../../shared/config/index.js'
import { KeylessError } from '../../shared/errors.js'
import {
  choiceOption,
  EXPLAIN_CLOUDS,
  explainerFor,
  processIo,
  type CommandIo,
  type ExplainOptions,
} from '../../trust/index.js'

type ExplainFlags = Omit<ExplainOptions, 'token'> & {
  readonly token?: string
  readonly environment?: string
  readonly type: string
  readonly cloud: string
  readonly format: string
} & ParsedFlags

/** The token to explain: `--token`, or the preview of `--environment`'s next token. */
async function tokenOf(
  flags: ExplainFlags,
  client: () => ConfigOf<typeof clientOptions>,
  io: CommandIo,
): Promise<string> {
  if ((flags.token === undefined) === (flags.environment === undefined))
    throw new KeylessError(
      'usage_error',
      'give --token (a JWT, @file or -) or --environment (the claims of its next token), not both',
    )
  if (flags.token !== undefined) return flags.token
  const config = client()
  if (config.apiKey === undefined)
    throw new KeylessError(
      'usage_error',
      '--environment reads the preview from the control plane: give --api-key or KEYLESS_API_KEY',
    )
  const api = new ControlPlaneClient({
    server: config.server,
    apiKey: config.apiKey,
    timeoutMs: 10_000,
  })
  const preview = await previewToken(api, flags.environment ?? '', {
    cloud: flags.cloud,
    type: flags.type,
  })
  io.stderr.write(`note: ${preview.note}\n`)
  return preview.token
}

/** `keyless explain`: what the cloud would answer for a token, and why (src/trust/explain/). */
export function register(program: Command, io: CommandIo = processIo): void {
  const command = program
    .command('explain')
    .description(
      "Decide, step by step, what the cloud would answer for a token — AWS: AssumeRoleWithWebIdentity against a trust policy or a live role; Azure: the token endpoint against an application's federated credentials; Google: STS against a workload identity provider and a service account's policy — with the same checks as the emulator (offline: the signature is not checked); exit 0 allowed, 1 denied",
    )
    .option('--token <jwt>', 'the token: JWT, @file, or - for standard input')
    .option(
      '--environment <id>',
      "instead of --token: the claims of the environment's next token (its oidc-preview; needs --api-key)",
    )
    .option('--type <type>', 'with --environment: the deployment type', 'deploy')
    .option('--cloud <cloud>', `the cloud: ${EXPLAIN_CLOUDS.join(', ')}`, 'aws')
    .option('--trust-policy <file>', 'aws: the trust policy JSON file')
    .option(
      '--role-arn <arn>',
      'aws: the role (read through IAM GetRole unless --trust-policy is given)',
    )
    .option(
      '--endpoint-url <url>',
      'aws: IAM endpoint, e.g. the keyless emulator http://127.0.0.1:4566; azure: Graph, e.g. the Entra emulator https://127.0.0.1:4567; gcp: IAM, e.g. the Google emulator http://127.0.0.1:4568',
    )
    .option('--duration <seconds>', 'aws: DurationSeconds the deployment requests', '3600')
    .option(
      '--max-session-duration <seconds>',
      "aws: the role's MaxSessionDuration (read from the role when live)",
    )
    .option('--role-session-name <name>', "aws: RoleSessionName (default the token's deploymentId)")
    .option(
      '--fic-file <file>',
      "azure: the application's federated credentials (Graph JSON, - for stdin)",
    )
    .option(
      '--client-id <guid>',
      'azure: the application (its credentials read through Graph without --fic-file)',
    )
    .option(
      '--audience <aud>',
      "azure: evaluate the token as if its aud were this (the Azure credential's audience)",
    )
    .option(
      '--scope <scope>',
      'azure: the scope requested (default https://management.azure.com/.default)',
    )
    .option('--ca-file <pem>', 'azure: trust this CA (the Entra emulator’s)')
    .option(
      '--provider-file <file>',
      'gcp: the workload identity provider (IAM v1 JSON, - for stdin)',
    )
    .option('--provider <name>', 'gcp: the provider (projects/N/…/providers/ID), read through IAM')
    .option(
      '--service-account <email>',
      'gcp: may the identity impersonate it (its policy read through IAM)',
    )
    .option('--policy-file <file>', "gcp: the service account's IAM policy JSON instead")
    .option('--format <format>', 'text or json', 'text')
  addCloudAdminToken(command)
  const client = addOptions(command, clientOptions)
  command.action(async (flags: ExplainFlags) => {
    const { cloud, format, adminToken, environment: _e, type: _t, ...rest } = flags
    choiceOption(format, '--format', ['text', 'json'])
    explainerFor(cloud)
    const token = await tokenOf(flags, () => client(flags), io)
    const options = { ...rest, token, ...cloudAdminToken(cloud, adminToken) }
    const explanation = await explainerFor(cloud).explain(options, io)
    io.stdout.write(
      format === 'json'
        ? `${JSON.stringify(explanation, null, 2)}\n`
        : `${explanation.lines.join('\n')}\n`,
    )
    io.setExitCode(explanation.decision === 'allowed' ? 0 : 1)
  })
}
