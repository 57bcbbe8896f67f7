import type { Command } from 'commander'
import { ControlPlaneClient } from '../../client/index.js'
import { clientOptions, type ConfigOf } from '../../shared/config/index.js'
import { KeylessError } from '../../shared/errors.js'
import { DEFAULT_SUBJECT_TEMPLATE } from '../../shared/subject-template.js'
import { readCaFile } from '../entra-options.js'
import { gcpAdminOptions } from '../gcp-options.js'
import { addOptions, type ParsedFlags } from '../options.js'
import { controlPlaneSetupSource } from '../setup-source.js'
import {
  applyGcpSetup,
  directAccessNote,
  gatherGcpSetup,
  GCP_SETUP_FORMATS,
  planGcpSetup,
  renderGcpSetup,
  type CommandIo,
  type GcpSetupCredential,
  type GcpSetupFormat,
  type GcpSetupInput,
} from '../../trust/index.js'
import { collect, deploymentTypes } from './setup-azure.js'

interface GcpFlags {
  readonly organization: string
  readonly credential: string[]
  readonly project: string[]
  readonly environment: string[]
  readonly deploymentType: string[]
  readonly format: string
  readonly perEnvironment?: boolean
  readonly apply?: boolean
  readonly endpointUrl?: string
  readonly caFile?: string
  readonly issuer?: string
  readonly projectNumber?: string
  readonly poolId?: string
  readonly providerId?: string
  readonly serviceAccount?: string
  readonly planServiceAccount?: string
  readonly audience?: string
  readonly subjectTemplate?: string
}

/** Offline: one credential from the flags; environments belong to the one --project. */
function offlineCredential(flags: GcpFlags): GcpSetupCredential {
  const need = ['projectNumber', 'poolId'] as const
  const missing = need.filter((k) => flags[k] === undefined)
  if (missing.length > 0)
    throw new KeylessError(
      'usage_error',
      `offline (--issuer), give ${missing.map((k) => `--${k.replace(/[A-Z]/gu, (c) => `-${c.toLowerCase()}`)}`).join(', ')} too`,
    )
  if (flags.project.length === 0 || (flags.environment.length > 0 && flags.project.length !== 1))
    throw new KeylessError(
      'usage_error',
      'offline, give --project (exactly one when --environment names its environments)',
    )
  const projectId = flags.project[0] ?? ''
  return {
    projectNumber: flags.projectNumber ?? '',
    gcpProjectId: '',
    poolId: flags.poolId ?? '',
    providerId: flags.providerId ?? 'keyless',
    serviceAccountEmail: flags.serviceAccount ?? null,
    planServiceAccountEmail: flags.planServiceAccount ?? null,
    audience: flags.audience ?? `gcp:${flags.organization}`,
    subjectTemplate: flags.subjectTemplate ?? DEFAULT_SUBJECT_TEMPLATE,
    scopes:
      flags.environment.length > 0
        ? flags.environment.map((environmentId) => ({ projectId, environmentId }))
        : flags.project.map((p) => ({ projectId: p })),
  }
}

async function setupInput(
  flags: GcpFlags,
  client: () => ConfigOf<typeof clientOptions>,
  io: CommandIo,
): Promise<GcpSetupInput> {
  const common = {
    organizationId: flags.organization,
    deploymentTypes: deploymentTypes(flags.deploymentType),
    perEnvironment: flags.perEnvironment === true,
  }
  if (flags.issuer !== undefined) {
    if (flags.serviceAccount === undefined && flags.planServiceAccount === undefined)
      io.stderr.write(`note: ${directAccessNote('(offline)')}\n`)
    return { ...common, issuer: flags.issuer, credentials: [offlineCredential(flags)] }
  }
  const config = client()
  if (config.apiKey === undefined)
    throw new KeylessError(
      'usage_error',
      'setup gcp needs an API key (--api-key or KEYLESS_API_KEY), or --issuer to work offline',
    )
  const cp = new ControlPlaneClient({
    server: config.server,
    apiKey: config.apiKey,
    timeoutMs: 10_000,
  })
  const oidc = await cp.organizationOidc(flags.organization)
  const gathered = await gatherGcpSetup(
    controlPlaneSetupSource(cp),
    {
      organizationId: flags.organization,
      credentialIds: flags.credential,
      projectIds: flags.project,
      environmentIds: flags.environment,
    },
    oidc.subjectTemplate,
  )
  for (const note of gathered.notes) io.stderr.write(`note: ${note}\n`)
  return { ...common, issuer: oidc.issuer, credentials: gathered.credentials }
}

function options(gcp: Command): void {
  gcp
    .requiredOption('--organization <id>', 'organization id')
    .option(
      '--credential <id>',
      'set up this gcp-oidc credential (repeatable; default all)',
      collect,
      [],
    )
    .option(
      '--project <id>',
      "this project's environments (repeatable; default the credential's projects)",
      collect,
      [],
    )
    .option('--environment <id>', 'this environment (repeatable)', collect, [])
    .option(
      '--deployment-type <type>',
      'only this deployment type (repeatable; default all)',
      collect,
      [],
    )
    .option('--format <format>', 'terraform, gcloud or json', 'terraform')
    .option(
      '--per-environment',
      "bind each environment's principal set instead of the organization's",
    )
    .option('--apply', 'create them through IAM, keeping what exists')
    .option(
      '--endpoint-url <url>',
      'IAM for --apply, e.g. the Google emulator http://127.0.0.1:4568',
    )
    .option('--ca-file <pem>', 'trust this CA for --apply')
    .option('--issuer <url>', 'offline: the issuer URL instead of asking the control plane')
    .option('--project-number <n>', 'offline: the Google project number of the pool')
    .option('--pool-id <id>', 'offline: the workload identity pool id')
    .option('--provider-id <id>', 'offline: the provider id (default keyless)')
    .option('--service-account <email>', 'offline: the service account to impersonate')
    .option('--plan-service-account <email>', 'offline: the plan phase service account')
    .option('--audience <aud>', 'offline: the audience (default gcp:<organization>)')
    .option('--subject-template <template>', "offline: the subject template (default keyless's)")
}

/** `keyless setup gcp`: the workload identity pool, provider and bindings Google needs. */
export function registerGcp(setup: Command, io: CommandIo): void {
  const gcp = setup
    .command('gcp')
    .description(
      "The workload identity pool, OIDC provider (issuer exactly keyless's, the credential's audience, a condition pinning the organization) and roles/iam.workloadIdentityUser on the service account for the organization's gcp-oidc credentials: as Terraform, a gcloud script or JSON, or created with --apply",
    )
  options(gcp)
  const client = addOptions(gcp, clientOptions)
  const admin = addOptions(gcp, gcpAdminOptions)
  gcp.action(async (flags: GcpFlags & ParsedFlags) => {
    if (!(GCP_SETUP_FORMATS as readonly string[]).includes(flags.format))
      throw new KeylessError(
        'usage_error',
        `--format must be one of ${GCP_SETUP_FORMATS.join(', ')} (got ${JSON.stringify(flags.format)})`,
      )
    const plan = planGcpSetup(await setupInput(flags, () => client(flags), io))
    if (flags.apply !== true) {
      io.stdout.write(renderGcpSetup(plan, flags.format as GcpSetupFormat))
      return
    }
    const token = admin(flags).adminToken
    if (token === undefined)
      throw new KeylessError(
        'usage_error',
        '--apply needs an IAM bearer token: --admin-token or KEYLESS_GCP_ADMIN_TOKEN (the emulator: test)',
      )
    const ca = readCaFile(flags.caFile)
    const result = await applyGcpSetup(plan, {
      url: (flags.endpointUrl ?? 'https://iam.googleapis.com').replace(/\/+$/u, ''),
      token,
      ...(ca === undefined ? {} : { ca }),
    })
    io.stdout.write(`${result.lines.join('\n')}\n`)
  })
}
