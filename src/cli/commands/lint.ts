import type { Command } from 'commander'
import { KeylessError } from '../../shared/errors.js'
import { addCloudAdminToken, cloudAdminToken } from '../cloud-admin-token.js'
import type { ParsedFlags } from '../options.js'
import { lintAzure, type AzureLintFlags } from './lint-azure.js'
import { lintGcp, type GcpLintFlags } from './lint-gcp.js'
import {
  choiceOption,
  intOption,
  lintJson,
  lintSarif,
  lintText,
  lintTrustPolicy,
  processIo,
  readPathOrStdin,
  readRole,
  type CommandIo,
  type LintOptions,
} from '../../trust/index.js'

interface LintFlags {
  readonly issuer?: string
  readonly audience?: string
  readonly subjectTemplate?: string
  readonly sessionTags: boolean
  readonly duration?: string
  readonly maxSessionDuration?: string
  readonly roleArn?: string
  readonly endpointUrl?: string
  readonly format: string
  readonly cloud: string
}

/**
 * `keyless lint FILE|-`: the trust-policy rules of docs/lint-rules.md; exit 1 on any error
 * finding. `--cloud azure`: the federated-credential rules (lint-azure.ts).
 */
export function register(program: Command, io: CommandIo = processIo): void {
  const command = program
    .command('lint')
    .description(
      'Lint a role trust policy (FILE, - for stdin, or the live role with --role-arn), or with --cloud azure Entra federated identity credentials (Graph JSON, or --client-id/--identity), or with --cloud gcp workload identity providers and bindings (IAM v1 JSON, or --provider/--service-account): exit 0 clean, 1 errors found, 2 unreadable input or usage',
    )
    .argument('[file]', 'trust policy JSON file, or - for standard input')
    .option('--issuer <url>', 'our issuer URL: which provider is ours (condition-key prefix)')
    .option('--audience <aud>', "the organization's audience (client ID), e.g. aws:org_…")
    .option(
      '--subject-template <template>',
      'subject template of the organization (default the ID-based one)',
    )
    .option('--no-session-tags', 'tokens carry no session tags (the credential turned them off)')
    .option('--duration <seconds>', 'session duration deployments request (L14)')
    .option('--max-session-duration <seconds>', "the role's MaxSessionDuration (L14)")
    .option(
      '--role-arn <arn>',
      'lint the live role (IAM GetRole with the AWS credentials of the environment)',
    )
    .option(
      '--endpoint-url <url>',
      'aws: IAM, e.g. the keyless emulator http://127.0.0.1:4566; azure: Graph and ARM, e.g. https://127.0.0.1:4567; gcp: IAM, e.g. http://127.0.0.1:4568',
    )
    .option('--format <format>', 'text, json or sarif', 'text')
    .option(
      '--cloud <cloud>',
      'aws (trust policies), azure (federated identity credentials) or gcp (workload identity providers)',
      'aws',
    )
    .option('--organization <id>', 'azure: the organization whose tokens the credentials admit')
    .option('--client-id <guid>', "azure: lint the application's credentials, read through Graph")
    .option(
      '--identity <resourceId>',
      "azure: lint a managed identity's credentials, read through ARM",
    )
    .option('--ca-file <pem>', 'azure: trust this CA (the Entra emulator’s)')
    .option(
      '--provider <name>',
      'gcp: lint this provider (projects/N/…/providers/ID), read through IAM',
    )
    .option(
      '--service-account <email>',
      "gcp: lint the principal sets of this service account's policy",
    )
  addCloudAdminToken(command)
  command.action(
    async (
      file: string | undefined,
      flags: LintFlags & AzureLintFlags & GcpLintFlags & ParsedFlags,
    ) => {
      if (flags.cloud === 'azure')
        return lintAzure(file, { ...flags, ...cloudAdminToken('azure', flags.adminToken) }, io)
      if (flags.cloud === 'gcp')
        return lintGcp(file, { ...flags, ...cloudAdminToken('gcp', flags.adminToken) }, io)
      if (flags.cloud !== 'aws')
        throw new KeylessError(
          'usage_error',
          `--cloud must be aws, azure or gcp (got ${JSON.stringify(flags.cloud)})`,
        )
      choiceOption(flags.format, '--format', ['text', 'json', 'sarif'])
      const duration = intOption(flags.duration, '--duration', 900, 43200)
      let maxSessionDuration = intOption(
        flags.maxSessionDuration,
        '--max-session-duration',
        3600,
        43200,
      )
      let text: string
      let name: string
      if (file !== undefined) ({ text, name } = await readPathOrStdin(file, io))
      else if (flags.roleArn !== undefined) {
        const role = await readRole(flags.roleArn, {
          ...(flags.endpointUrl === undefined ? {} : { endpointUrl: flags.endpointUrl }),
        })
        text = role.trustPolicy
        name = role.arn
        maxSessionDuration ??= role.maxSessionDuration
      } else
        throw new KeylessError(
          'usage_error',
          'give a trust policy FILE (or - for stdin), or --role-arn',
        )
      const options: LintOptions = {
        ...(flags.issuer === undefined ? {} : { issuer: flags.issuer }),
        ...(flags.audience === undefined ? {} : { audience: flags.audience }),
        ...(flags.subjectTemplate === undefined ? {} : { subjectTemplate: flags.subjectTemplate }),
        sessionTags: flags.sessionTags,
        ...(duration === undefined ? {} : { duration }),
        ...(maxSessionDuration === undefined ? {} : { maxSessionDuration }),
        ...(flags.roleArn === undefined ? {} : { roleArn: flags.roleArn }),
      }
      const result = lintTrustPolicy(text, options)
      io.stdout.write(
        flags.format === 'json'
          ? lintJson(result)
          : flags.format === 'sarif'
            ? lintSarif(result, name)
            : lintText(result, name),
      )
      io.setExitCode(result.summary.errors > 0 ? 1 : 0)
    },
  )
}
