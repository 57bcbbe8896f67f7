import type { Command } from 'commander'
import { ControlPlaneClient } from '../../client/index.js'
import { clientOptions, type ConfigOf } from '../../shared/config/index.js'
import { DEPLOYMENT_TYPES, type DeploymentType } from '../../shared/contracts/common.js'
import { KeylessError } from '../../shared/errors.js'
import { entraOptions, readCaFile } from '../entra-options.js'
import { issuerSlashNote } from '../issuer-slash-note.js'
import { addOptions, type ParsedFlags } from '../options.js'
import { controlPlaneSetupSource } from '../setup-source.js'
import {
  applyAzureSetup,
  AZURE_SETUP_FORMATS,
  gatherAzureSetup,
  planAzureSetup,
  renderAzureSetup,
  type AzureSetupCredential,
  type AzureSetupFormat,
  type AzureSetupInput,
  type CommandIo,
} from '../../trust/index.js'

interface AzureFlags {
  readonly organization: string
  readonly credential: string[]
  readonly project: string[]
  readonly environment: string[]
  readonly deploymentType: string[]
  readonly format: string
  readonly managedIdentity?: boolean
  readonly identity: string[]
  readonly apply?: boolean
  readonly endpointUrl?: string
  readonly caFile?: string
  readonly issuer?: string
  readonly clientId?: string
  readonly planClientId?: string
  readonly audience?: string
  readonly subjectTemplate?: string
}

export const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
]

export function deploymentTypes(raw: readonly string[]): DeploymentType[] {
  return raw.map((t) => {
    if (!(DEPLOYMENT_TYPES as readonly string[]).includes(t))
      throw new KeylessError(
        'usage_error',
        `--deployment-type must be one of ${DEPLOYMENT_TYPES.join(', ')} (got ${JSON.stringify(t)})`,
      )
    return t as DeploymentType
  })
}

/** Offline: one credential from the flags; environments belong to the one --project. */
function offlineCredential(flags: AzureFlags): AzureSetupCredential {
  if (flags.clientId === undefined)
    throw new KeylessError('usage_error', 'offline (--issuer), give --client-id too')
  if (flags.environment.length > 0 && flags.project.length !== 1)
    throw new KeylessError(
      'usage_error',
      'offline, --environment needs exactly one --project (the project of those environments)',
    )
  if (flags.project.length === 0)
    throw new KeylessError('usage_error', 'offline, give --project (and its --environment ids)')
  const scopes =
    flags.environment.length > 0
      ? flags.environment.map((environmentId) => ({
          projectId: flags.project[0] ?? '',
          environmentId,
        }))
      : flags.project.map((projectId) => ({ projectId }))
  return {
    clientId: flags.clientId,
    planClientId: flags.planClientId ?? null,
    audience: flags.audience ?? `azure:${flags.organization}`,
    subjectTemplate: flags.subjectTemplate ?? null,
    scopes,
  }
}

/** `--identity CLIENT_ID=RESOURCE_ID`, or one bare resource id for the one application. */
function identities(flags: AzureFlags, clientIds: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const spec of flags.identity) {
    const at = spec.indexOf('=')
    if (at > 0) out[spec.slice(0, at).trim().toLowerCase()] = spec.slice(at + 1)
    else if (flags.identity.length === 1 && clientIds.length === 1)
      out[(clientIds[0] ?? '').toLowerCase()] = spec
    else
      throw new KeylessError(
        'usage_error',
        `--identity ${JSON.stringify(spec)}: with several applications, write CLIENT_ID=RESOURCE_ID`,
      )
  }
  return out
}

async function setupInput(
  flags: AzureFlags,
  client: () => ConfigOf<typeof clientOptions>,
  io: CommandIo,
): Promise<AzureSetupInput> {
  const common = {
    organizationId: flags.organization,
    deploymentTypes: deploymentTypes(flags.deploymentType),
    ...(flags.managedIdentity === true ? { target: 'managed-identity' as const } : {}),
  }
  const finish = (issuer: string, credentials: AzureSetupCredential[]): AzureSetupInput => {
    const ids = credentials.flatMap((c) => [
      c.clientId,
      ...(c.planClientId ? [c.planClientId] : []),
    ])
    return { ...common, issuer, credentials, identities: identities(flags, ids) }
  }
  if (flags.issuer !== undefined) return finish(flags.issuer, [offlineCredential(flags)])
  const config = client()
  if (config.apiKey === undefined)
    throw new KeylessError(
      'usage_error',
      'setup azure needs an API key (--api-key or KEYLESS_API_KEY), or --issuer to work offline',
    )
  const cp = new ControlPlaneClient({
    server: config.server,
    apiKey: config.apiKey,
    timeoutMs: 10_000,
  })
  const oidc = await cp.organizationOidc(flags.organization)
  const gathered = await gatherAzureSetup(controlPlaneSetupSource(cp), {
    organizationId: flags.organization,
    credentialIds: flags.credential,
    projectIds: flags.project,
    environmentIds: flags.environment,
  })
  for (const note of gathered.notes) io.stderr.write(`note: ${note}\n`)
  return finish(oidc.issuer, gathered.credentials)
}

/** `keyless setup azure`: the federated identity credentials Entra needs, as code or applied. */
export function registerAzure(setup: Command, io: CommandIo): void {
  const azure = setup
    .command('azure')
    .description(
      "The federated identity credentials Entra needs for the organization's azure-oidc credentials (one per subject per application, issuer exactly keyless's, audience the credential's; at most 20 per application): as Terraform, an az CLI script or Graph JSON, or created with --apply",
    )
    .requiredOption('--organization <id>', 'organization id')
    .option(
      '--credential <id>',
      'set up this azure-oidc credential (repeatable; default all)',
      collect,
      [],
    )
    .option(
      '--project <id>',
      "this project's environments (repeatable; default the projects each credential is assigned to)",
      collect,
      [],
    )
    .option('--environment <id>', 'this environment (repeatable)', collect, [])
    .option(
      '--deployment-type <type>',
      'admit only this deployment type (repeatable; default all)',
      collect,
      [],
    )
    .option('--format <format>', 'terraform, cli or json', 'terraform')
    .option(
      '--managed-identity',
      'user-assigned managed identities (azurerm, ARM) instead of app registrations',
    )
    .option(
      '--identity <[clientId=]resourceId>',
      "a managed identity's ARM resource id (repeatable)",
      collect,
      [],
    )
    .option(
      '--apply',
      'create them through Graph (or ARM), keeping those whose issuer and subject exist',
    )
    .option(
      '--endpoint-url <url>',
      'Graph and ARM for --apply, e.g. the Entra emulator https://127.0.0.1:4567',
    )
    .option(
      '--ca-file <pem>',
      'trust this CA for --apply (the emulator writes <data-dir>/emulator-ca.pem)',
    )
    .option('--issuer <url>', 'offline: the issuer URL instead of asking the control plane')
    .option('--client-id <guid>', "offline: the credential's client id")
    .option('--plan-client-id <guid>', "offline: the credential's planClientId")
    .option('--audience <aud>', 'offline: the audience (default azure:<organization>)')
    .option(
      '--subject-template <template>',
      "offline: the credential's subject template (default the Azure one)",
    )
  const client = addOptions(azure, clientOptions)
  const entra = addOptions(azure, entraOptions)
  azure.action(async (flags: AzureFlags & ParsedFlags) => {
    if (!(AZURE_SETUP_FORMATS as readonly string[]).includes(flags.format))
      throw new KeylessError(
        'usage_error',
        `--format must be one of ${AZURE_SETUP_FORMATS.join(', ')} (got ${JSON.stringify(flags.format)})`,
      )
    const slash = issuerSlashNote(flags.issuer)
    if (slash !== undefined) io.stderr.write(`${slash}\n`)
    const plan = planAzureSetup(await setupInput(flags, () => client(flags), io))
    if (flags.apply !== true) {
      io.stdout.write(renderAzureSetup(plan, flags.format as AzureSetupFormat))
      return
    }
    const token = entra(flags).adminToken
    if (token === undefined)
      throw new KeylessError(
        'usage_error',
        '--apply needs a Graph/ARM bearer token: --admin-token or KEYLESS_AZURE_ADMIN_TOKEN (the emulator: test)',
      )
    const url = flags.endpointUrl?.replace(/\/+$/u, '')
    const ca = readCaFile(flags.caFile)
    const result = await applyAzureSetup(plan, {
      graphUrl: url ?? 'https://graph.microsoft.com',
      armUrl: url ?? 'https://management.azure.com',
      token,
      ...(ca === undefined ? {} : { ca }),
    })
    for (const w of result.warnings) io.stderr.write(`warning: ${w}\n`)
    io.stdout.write(
      [
        ...result.lines,
        ...plan.applications.map(
          (a) => `${a.clientId}: ${a.fics.length} of 20 federated identity credentials for keyless`,
        ),
        '',
      ].join('\n'),
    )
  })
}
