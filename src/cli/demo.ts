import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ControlPlaneClient } from '../client/index.js'
import type { ConfigOf, upParts } from '../shared/config/index.js'
import { applySetup, planSetup } from '../trust/index.js'
import { seedAzureDemo, seedGcpDemo, type EntraTarget, type GoogleTarget } from './demo-clouds.js'

type UpEmulatorConfig = ConfigOf<typeof upParts.emulator>

export const DEMO = {
  organization: 'demo',
  project: 'demo-project',
  template: 'whoami',
  environment: 'demo',
  credential: 'demo-aws',
  role: 'keyless-demo',
} as const

export interface SeededDemo {
  readonly organizationId: string
  readonly environmentId: string
  readonly roleArn: string
  readonly agentToken: string
  /** The Entra app registration the demo signs in as, when the Entra emulator runs. */
  readonly azureClientId: string | null
  /** The Google service account the demo acts as, when the Google emulator runs. */
  readonly gcpServiceAccount: string | null
  /** What the Azure setup created or kept, one line each. */
  readonly azureSetupLines: readonly string[]
  /** What the GCP setup created or kept, one line each. */
  readonly gcpSetupLines: readonly string[]
}

/** The Entra and Google emulators `keyless up` runs beside the AWS one (absent: not running). */
export interface DemoClouds {
  readonly azure?: EntraTarget | undefined
  readonly gcp?: GoogleTarget | undefined
}

async function findOrCreate<T extends { readonly name: string }>(
  list: () => Promise<readonly T[]>,
  name: string,
  create: () => Promise<T>,
): Promise<T> {
  return (await list()).find((item) => item.name === name) ?? (await create())
}

type Whoami = 'aws-whoami' | 'azure-whoami' | 'gcp-whoami'

/**
 * A step the demo runs: one of the scripts shipped in src/runner that show the identity a
 * cloud's own SDK gets from the environment keyless set (no AWS CLI, az or gcloud needed).
 */
function whoamiCommand(script: Whoami): string {
  const here = fileURLToPath(new URL('.', import.meta.url))
  const js = resolve(here, '..', 'runner', `${script}.js`)
  // The SDK warns on stderr that its 2027 releases need Node 22; not news for a demo.
  const quiet = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true'
  if (existsSync(js)) return `${quiet} "${process.execPath}" "${js}"`
  const ts = resolve(here, '..', 'runner', `${script}.ts`)
  return `${quiet} "${process.execPath}" --import "${import.meta.resolve('tsx')}" "${ts}"`
}

function demoSteps(clouds: DemoClouds): Array<{ name: string; run: string }> {
  return [
    { name: 'GetCallerIdentity', run: whoamiCommand('aws-whoami') },
    ...(clouds.azure === undefined
      ? []
      : [{ name: 'Azure sign-in', run: whoamiCommand('azure-whoami') }]),
    ...(clouds.gcp === undefined
      ? []
      : [{ name: 'Google access token', run: whoamiCommand('gcp-whoami') }]),
  ]
}

/** One agent token per data directory, kept (0600) for the next `keyless up`. */
async function demoAgentToken(
  api: ControlPlaneClient,
  organizationId: string,
  dataDir: string,
): Promise<string> {
  const tokenFile = join(dataDir, 'demo-agent.token')
  let kept: string | undefined
  try {
    kept = (await readFile(tokenFile, 'utf8')).trim()
  } catch {
    kept = undefined
  }
  if (kept !== undefined && kept !== '') {
    const tokens = await api.agentTokens(organizationId)
    if (tokens.some((t) => t.name === 'embedded-agent' && t.revokedAt === null)) return kept
  }
  const created = await api.createAgentToken(organizationId, { name: 'embedded-agent' })
  await mkdir(dataDir, { recursive: true })
  await writeFile(tokenFile, `${created.token}\n`, { mode: 0o600 })
  return created.token
}

/**
 * Seeds the demo of `keyless up --demo` idempotently (a second run finds and reuses everything)
 * and registers keyless in the emulator with the trust policy `keyless setup aws` generates.
 */
export async function seedDemo(
  api: ControlPlaneClient,
  issuer: string,
  emulatorUrl: string,
  emulator: Pick<UpEmulatorConfig, 'accountId' | 'accessKeyId' | 'secretAccessKey'>,
  dataDir: string,
  clouds: DemoClouds = {},
): Promise<SeededDemo> {
  const org = await findOrCreate(
    () => api.organizations(),
    DEMO.organization,
    () => api.createOrganization({ name: DEMO.organization }),
  )
  const project = await findOrCreate(
    () => api.projects(org.id),
    DEMO.project,
    () =>
      api.createProject(org.id, {
        name: DEMO.project,
        description: 'created by keyless up --demo',
      }),
  )
  const steps = demoSteps(clouds)
  const template = await findOrCreate(
    () => api.templates(org.id),
    DEMO.template,
    () => api.createTemplate(org.id, { name: DEMO.template, type: 'custom', steps }),
  )
  // The script's path depends on how keyless runs (built or from source): keep it current.
  await api.updateTemplate(template.id, { steps })
  const environment = await findOrCreate(
    () => api.environments(project.id),
    DEMO.environment,
    () => api.createEnvironment(project.id, { name: DEMO.environment, templateId: template.id }),
  )
  const roleArn = `arn:aws:iam::${emulator.accountId}:role/${DEMO.role}`
  const credential = await findOrCreate(
    () => api.credentials(org.id),
    DEMO.credential,
    () =>
      api.createCredential(org.id, {
        name: DEMO.credential,
        roleArn,
        durationSeconds: 3600,
        region: 'us-east-1',
        stsEndpoint: emulatorUrl,
      }),
  )
  await api.updateCredential(credential.id, { stsEndpoint: emulatorUrl })
  await api.assignCredential(project.id, credential.id)

  const plan = planSetup({
    organizationId: org.id,
    issuer,
    audience: org.audience,
    sessionTags: true,
    // Pinned to the demo environment, as `keyless preflight` recommends: a sibling environment
    // or another project of the organization is refused.
    environments: [{ environmentId: environment.id, projectId: project.id }],
    roleName: DEMO.role,
    accountId: emulator.accountId,
  })
  await applySetup(plan, emulator.accountId, {
    endpointUrl: emulatorUrl,
    credentials: { accessKeyId: emulator.accessKeyId, secretAccessKey: emulator.secretAccessKey },
  })
  const agentToken = await demoAgentToken(api, org.id, dataDir)
  const scope = { organizationId: org.id, projectId: project.id, issuer }
  const azure = clouds.azure === undefined ? null : await seedAzureDemo(api, scope, clouds.azure)
  const gcp =
    clouds.gcp === undefined
      ? null
      : await seedGcpDemo(
          api,
          scope,
          clouds.gcp,
          (await api.organizationOidc(org.id)).subjectTemplate,
        )
  return {
    organizationId: org.id,
    environmentId: environment.id,
    roleArn,
    agentToken,
    azureClientId: azure?.clientId ?? null,
    gcpServiceAccount: gcp?.serviceAccount ?? null,
    azureSetupLines: azure?.lines ?? [],
    gcpSetupLines: gcp?.lines ?? [],
  }
}
