import type { Command } from 'commander'
import { existsSync, realpathSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { Agent } from '../../agent/index.js'
import { buildEmulator, type Emulator } from '../../emulator/index.js'
import { cloudsOf, startAzureListener } from '../azure-listener.js'
import { startGcpListener } from '../gcp-listener.js'
import { systemClock } from '../../shared/clock.js'
import {
  processEnv,
  unprefixed,
  upOptions,
  upParts,
  type ConfigOf,
} from '../../shared/config/index.js'
import { KeylessError } from '../../shared/errors.js'
import { createLogger, type Logger } from '../../shared/logger.js'
import { startControlPlane, type ControlPlane } from '../control-plane.js'
import { listenOrConfigError, listeningUrl } from '../listen.js'
import { addOptions, type ParsedFlags } from '../options.js'
import { ControlPlaneClient } from '../../client/index.js'
import { seedDemo, type SeededDemo } from '../demo.js'
import type { EntraTarget, GoogleTarget } from '../demo-clouds.js'
import { cliInvocation } from '../invocation.js'
import { formatLogLine } from './deploy.js'

type UpConfig = ConfigOf<typeof upOptions>
type UpEmulatorConfig = ConfigOf<typeof upParts.emulator>

/**
 * `keyless up`: control plane + the AWS, Entra ID and Google emulators + an embedded agent on one machine
 * (docs/architecture.md §2). Its options are the server's, the emulator's (`--emulator-*`) and
 * the agent's (`--agent-*`), from src/shared/config/options.ts.
 */
export function register(program: Command): void {
  const command = program
    .command('up')
    .description(
      'Run the whole stack on this machine: control plane, the AWS, Entra ID and Google emulators, and an embedded agent',
    )
  const load = addOptions(command, upOptions)
  command.action((flags: ParsedFlags) => run(load(flags)))
}

type Out = (line?: string) => void

const out: Out = (line = '') => {
  process.stdout.write(`${line}\n`)
}

async function run(config: UpConfig): Promise<void> {
  const logger = createLogger({ level: config.logLevel, name: 'keyless' })
  const emulatorConfig = unprefixed('emulator', upParts.emulator, config)
  const dataDir = resolve(config.dataDir)
  const started = performance.now()

  const plane = await startControlPlane(config, { logger, out: null })
  let emulator: Emulator | undefined
  let azure: { close(): Promise<unknown> } | undefined
  let gcp: { close(): Promise<unknown> } | undefined
  let agent: Agent | undefined
  const stop = async (): Promise<void> => {
    await agent?.stop({ cancelRunning: true })
    await emulator?.close()
    await azure?.close()
    await gcp?.close()
    await plane.close().catch(() => undefined)
  }
  try {
    emulator = await buildEmulator(
      { ...emulatorConfig, state: resolveState(emulatorConfig.state) },
      { clock: systemClock, logger },
    )
    await listenOrConfigError(emulator, emulatorConfig.host, emulatorConfig.port, '--emulator-port')
    const emulatorUrl = listeningUrl(emulator, emulatorConfig.host)
    printSummary(config, plane, emulatorUrl, emulatorConfig, dataDir)
    let entraCa: string | undefined
    const clouds: { azure?: EntraTarget; gcp?: GoogleTarget } = {}
    if (cloudsOf(emulatorConfig.clouds).has('azure')) {
      const entra = await startAzureListener(
        emulatorConfig,
        dataDir,
        emulator.emulator.decisions,
        '--emulator-azure-port',
        emulator.emulator.state.documents,
      )
      azure = entra.app
      entraCa = entra.caFile
      clouds.azure = {
        url: entra.url,
        ca: await readFile(entra.caFile, 'utf8'),
        tenantId: emulatorConfig.azureTenantId,
        adminToken: emulatorConfig.adminToken,
      }
      out(
        `  Entra ID:       ${entra.url}  (tenant ${emulatorConfig.azureTenantId}; CA ${entra.caFile})`,
      )
    }
    if (cloudsOf(emulatorConfig.clouds).has('gcp')) {
      const google = await startGcpListener(
        emulatorConfig,
        emulator.emulator.decisions,
        '--emulator-gcp-port',
        emulator.emulator.state.documents,
      )
      gcp = google.app
      clouds.gcp = { url: google.url, adminToken: emulatorConfig.adminToken }
      out(`  Google:         ${google.url}  (STS, IAM, IAM Credentials; admin token on IAM calls)`)
    }
    const agentOwn = unprefixed('agent', upParts.agent, config)
    // The embedded agent trusts the Entra emulator's CA unless told otherwise.
    const cloudCaFile = agentOwn.cloudCaFile ?? entraCa
    const agentConfig = cloudCaFile === undefined ? agentOwn : { ...agentOwn, cloudCaFile }
    if (config.demo) {
      const adminKey = plane.adminKey ?? config.adminKey ?? (await readAdminKey(dataDir))
      const api = new ControlPlaneClient({ server: plane.url, apiKey: adminKey })
      const demo = await seedDemo(api, plane.issuer, emulatorUrl, emulatorConfig, dataDir, clouds)
      agent = startAgent(plane.url, { ...agentConfig, token: demo.agentToken }, logger)
      await runDemo(api, demo, { plane, emulatorUrl, dataDir, started })
    }
    if (agent === undefined) agent = await startKeptAgent(plane.url, agentConfig, dataDir, logger)
    out()
    out('serving until Ctrl-C')
  } catch (error) {
    await stop()
    throw error
  }
  let stopping = false
  const onSignal = (): void => {
    if (stopping) return
    stopping = true
    void stop().then(() => process.exit(0))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
}

/** `memory`, or the SQLite file as an absolute path. */
function resolveState(state: string): string {
  return state === 'memory' ? state : resolve(state)
}

function printSummary(
  config: UpConfig,
  plane: ControlPlane,
  emulatorUrl: string,
  emulator: UpEmulatorConfig,
  dataDir: string,
): void {
  const keys = `${emulator.accessKeyId} / ${config.emulatorSecretAccessKey === 'test' ? 'test' : '(secret)'}`
  const state =
    emulator.state === 'memory' ? 'in memory' : `state in ${resolveState(emulator.state)}`
  out(`keyless is up`)
  out(`  console + API:  ${plane.url}/`)
  out(`  OIDC issuer:    ${plane.issuer}`)
  out(`  AWS emulator:   ${emulatorUrl}  (STS + IAM; admin keys ${keys}; ${state})`)
  out(`  data directory: ${dataDir}`)
  if (plane.adminKey !== null)
    out(`  owner API key (shown once, also in ${join(dataDir, 'admin.key')}): ${plane.adminKey}`)
  else out(`  owner API key:  in ${join(dataDir, 'admin.key')}`)
}

interface DemoContext {
  readonly plane: ControlPlane
  readonly emulatorUrl: string
  readonly dataDir: string
  readonly started: number
}

/** Runs one demo deployment, streams its log and says what happened and what to try next. */
async function runDemo(
  api: ControlPlaneClient,
  demo: SeededDemo,
  { plane, emulatorUrl, dataDir, started }: DemoContext,
): Promise<void> {
  out()
  out(`demo: organization ${demo.organizationId}, environment ${demo.environmentId}`)
  out(`  IAM OIDC provider for ${plane.issuer} and role ${demo.roleArn} in the emulator,`)
  out(
    `  trust policy as \`keyless setup aws\` generates it (aud + sub + organizationId tag + TagSession)`,
  )
  if (demo.azureClientId !== null)
    out(
      `  Entra app ${demo.azureClientId} with a federated credential per subject, as \`keyless setup azure --apply\` creates them`,
    )
  for (const line of demo.azureSetupLines) out(`    ${line}`)
  if (demo.gcpServiceAccount !== null)
    out(
      `  Google pool, provider (condition pins the organization) and workloadIdentityUser on ${demo.gcpServiceAccount}, as \`keyless setup gcp --apply\``,
    )
  for (const line of demo.gcpSetupLines) out(`    ${line}`)
  out()
  const created = await api.createDeployment(demo.environmentId, { type: 'deploy' })
  out(`running deployment ${created.id}:`)
  await api.streamLogs(created.id, (line) => out(`  │ ${formatLogLine(line)}`))
  const final = await api.waitFinished(created.id, 200)
  const sub = final.lastTokenClaims?.['sub']
  out()
  out(
    `deployment ${final.id} ${final.status} (${Math.round(performance.now() - started)} ms after start)`,
  )
  if (typeof sub === 'string') out(`  token subject:  ${sub}`)
  if (final.assumedRoleArn !== null) out(`  assumed role:   ${final.assumedRoleArn}`)
  if (final.status !== 'succeeded')
    out(`  why:            ${final.failure?.message ?? final.message ?? 'see the log above'}`)
  out()
  out('try next:')
  const script = process.argv[1]
  const real = script !== undefined && existsSync(script) ? realpathSync(script) : script
  const cli = cliInvocation(real, process.cwd())
  out(`  open ${plane.url}/ and sign in with the owner API key`)
  out(
    `  export KEYLESS_API_KEY=$(cat ${join(dataDir, 'admin.key')}) KEYLESS_SERVER_URL=${plane.url}`,
  )
  out(`  ${cli} deploy --environment ${demo.environmentId} --wait`)
  out(`  curl -s '${emulatorUrl}/_keyless/decisions?roleArn=${demo.roleArn}'`)
  out(`  ${cli} setup aws --help     # the same provider and role for a real AWS account`)
  if (demo.azureClientId !== null)
    out(`  ${cli} setup azure --help   # the same federated credentials in a real Entra tenant`)
  if (demo.gcpServiceAccount !== null)
    out(`  ${cli} setup gcp --help     # the same pool and provider in a real Google project`)
}

/** Without --demo: the agent token given, or the one an earlier --demo kept. */
async function startKeptAgent(
  server: string,
  config: UpAgentConfig,
  dataDir: string,
  logger: Logger,
): Promise<Agent | undefined> {
  const token = config.token ?? (await readOptional(join(dataDir, 'demo-agent.token')))
  if (token === undefined) {
    out(
      '  embedded agent: not started (no agent token: run with --demo once, or set KEYLESS_AGENT_TOKEN)',
    )
    return undefined
  }
  out(`  embedded agent: polling ${server}`)
  return startAgent(server, { ...config, token }, logger)
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    const text = (await readFile(file, 'utf8')).trim()
    return text === '' ? undefined : text
  } catch {
    return undefined
  }
}

async function readAdminKey(dataDir: string): Promise<string> {
  try {
    return (await readFile(join(dataDir, 'admin.key'), 'utf8')).trim()
  } catch {
    throw new KeylessError(
      'config_invalid',
      `no owner API key: ${join(dataDir, 'admin.key')} is missing; set KEYLESS_ADMIN_KEY to the key printed on first start`,
    )
  }
}

type UpAgentConfig = ConfigOf<typeof upParts.agent>

function startAgent(
  server: string,
  config: UpAgentConfig & { readonly token: string },
  logger: Logger,
): Agent {
  const agent = new Agent(
    {
      servers: [server],
      token: config.token,
      workDir: resolve(config.workDir),
      concurrency: config.concurrency,
      name: config.name,
      claimWaitSeconds: config.claimWaitSeconds,
      cancelGraceSeconds: config.cancelGraceSeconds,
      ...(config.cloudCaFile === undefined ? {} : { cloudCaFile: resolve(config.cloudCaFile) }),
      baseEnv: processEnv(),
    },
    { clock: systemClock, logger },
  )
  agent.start()
  return agent
}
