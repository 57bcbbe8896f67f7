import type { Command } from 'commander'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Agent } from '../../agent/index.js'
import { buildEmulator, type Emulator } from '../../emulator/index.js'
import { systemClock } from '../../shared/clock.js'
import { loadConfig, processEnv, serverOptions } from '../../shared/config/index.js'
import { KeylessError } from '../../shared/errors.js'
import { createLogger } from '../../shared/logger.js'
import { applySetup, planSetup } from '../../trust/index.js'
import { startControlPlane, type ControlPlane } from '../control-plane.js'
import { Api, streamLogs } from './deploy.js'

interface UpFlags {
  readonly port?: string
  readonly emulatorPort?: string
  readonly host?: string
  readonly dataDir?: string
  readonly database?: string
  readonly logLevel?: string
  readonly demo?: boolean
}

const ACCOUNT = '123456789012'
const EMULATOR_KEYS = { accessKeyId: 'test', secretAccessKey: 'test' }
const DEMO = {
  organization: 'demo',
  project: 'demo-project',
  template: 'whoami',
  environment: 'demo',
  credential: 'demo-aws',
  role: 'keyless-demo',
} as const

/**
 * `keyless up`: control plane + AWS emulator + an embedded agent on one machine
 * (docs/architecture.md §2).
 */
export function register(program: Command): void {
  program
    .command('up')
    .description(
      'Run the whole stack on this machine: control plane, AWS emulator and an embedded agent',
    )
    .option('--port <port>', 'control plane port (default 8080)')
    .option('--emulator-port <port>', 'AWS emulator port (default 4566)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--data-dir <dir>', 'data directory (default ./.keyless)')
    .option('--database <url>', 'postgres:// URL or SQLite file (default <data-dir>/keyless.db)')
    .option('--log-level <level>', 'log level (default warn)')
    .option(
      '--demo',
      'seed a demo organization, role and environment, and run one deployment end to end',
    )
    .action((flags: UpFlags) => run(flags))
}

async function run(flags: UpFlags): Promise<void> {
  const config = loadConfig(serverOptions, {
    flags: {
      port: flags.port,
      host: flags.host,
      dataDir: flags.dataDir,
      database: flags.database,
      logLevel: flags.logLevel ?? 'warn',
    },
  })
  const emulatorPort = Number(flags.emulatorPort ?? '4566')
  const logger = createLogger({ level: config.logLevel, name: 'keyless' })
  const dataDir = resolve(config.dataDir)
  const started = performance.now()

  const plane = await startControlPlane(config, { logger, out: null })
  const closers: Array<() => Promise<void>> = [() => plane.close()]
  let emulator: Emulator | undefined
  let agent: Agent | undefined
  const stop = async (): Promise<void> => {
    await agent?.stop({ cancelRunning: true })
    await emulator?.close()
    for (const close of closers) await close().catch(() => undefined)
  }
  try {
    emulator = await buildEmulator(
      { accountId: ACCOUNT, ...EMULATOR_KEYS, state: 'memory' },
      { clock: systemClock, logger },
    )
    await emulator.listen({ port: emulatorPort, host: config.host })
    const address = emulator.server.address()
    const emulatorUrl = `http://${config.host}:${typeof address === 'object' && address !== null ? address.port : emulatorPort}`

    const adminKey = plane.adminKey ?? config.adminKey ?? (await readAdminKey(dataDir))
    const out = (line = ''): void => {
      process.stdout.write(`${line}\n`)
    }
    out(`keyless is up`)
    out(`  console + API:  ${plane.url}/`)
    out(`  OIDC issuer:    ${plane.issuer}`)
    out(`  AWS emulator:   ${emulatorUrl}  (STS + IAM; admin keys test / test)`)
    out(`  data directory: ${dataDir}`)
    if (plane.adminKey !== null)
      out(`  owner API key (shown once, also in ${join(dataDir, 'admin.key')}): ${plane.adminKey}`)
    else out(`  owner API key:  in ${join(dataDir, 'admin.key')}`)

    if (flags.demo === true) {
      const api = new Api(plane.url, adminKey)
      const demo = await seedDemo(api, plane, emulatorUrl, dataDir)
      agent = startAgent(plane.url, demo.agentToken, dataDir, logger)
      out()
      out(`demo: organization ${demo.organizationId}, environment ${demo.environmentId}`)
      out(`  IAM OIDC provider for ${plane.issuer} and role ${demo.roleArn} in the emulator,`)
      out(
        `  trust policy as \`keyless setup aws\` generates it (aud + sub + organizationId tag + TagSession)`,
      )
      out()
      const created = await api.json<{ id: string }>(
        'POST',
        `/api/v1/environments/${demo.environmentId}/deployments`,
        { type: 'deploy' },
      )
      out(`running deployment ${created.id}:`)
      await streamLogs(api, created.id, (text) => out(`  │ ${text}`))
      const final = await waitFinished(api, created.id)
      const sub = final.lastTokenClaims?.['sub']
      out()
      out(
        `deployment ${final.id} ${final.status} (${Math.round(performance.now() - started)} ms after start)`,
      )
      if (typeof sub === 'string') out(`  token subject:  ${sub}`)
      if (final.assumedRoleArn !== null && final.assumedRoleArn !== undefined)
        out(`  assumed role:   ${final.assumedRoleArn}`)
      if (final.status !== 'succeeded')
        out(`  why:            ${final.failure?.message ?? final.message ?? 'see the log above'}`)
      out()
      out('try next:')
      out(`  open ${plane.url}/ and sign in with the owner API key`)
      out(
        `  export KEYLESS_API_KEY=$(cat ${join(dataDir, 'admin.key')}) KEYLESS_SERVER_URL=${plane.url}`,
      )
      out(`  npx keyless deploy --environment ${demo.environmentId} --wait`)
      out(`  curl -s '${emulatorUrl}/_keyless/decisions?roleArn=${demo.roleArn}'`)
      out(`  npx keyless setup aws --help     # the same provider and role for a real AWS account`)
    }
    if (agent === undefined) {
      // Without --demo: the agent token given, or the one an earlier --demo kept.
      const token =
        processEnv()['KEYLESS_AGENT_TOKEN'] ??
        (await readOptional(join(dataDir, 'demo-agent.token')))
      if (token !== undefined) {
        agent = startAgent(plane.url, token, dataDir, logger)
        out(`  embedded agent: polling ${plane.url}`)
      } else {
        out(
          '  embedded agent: not started (no agent token: run with --demo once, or set KEYLESS_AGENT_TOKEN)',
        )
      }
    }
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

function startAgent(
  server: string,
  token: string,
  dataDir: string,
  logger: ReturnType<typeof createLogger>,
): Agent {
  const agent = new Agent(
    {
      server,
      token,
      workDir: join(dataDir, 'work'),
      concurrency: 2,
      name: 'embedded',
      claimWaitSeconds: 20,
      cancelGraceSeconds: 10,
      baseEnv: processEnv(),
    },
    { clock: systemClock, logger },
  )
  agent.start()
  return agent
}

interface DeploymentView {
  readonly id: string
  readonly status: string
  readonly message?: string | null
  readonly failure?: { message: string } | null
  readonly assumedRoleArn?: string | null
  readonly lastTokenClaims?: Record<string, unknown> | null
}

async function waitFinished(api: Api, id: string): Promise<DeploymentView> {
  for (;;) {
    const d = await api.json<DeploymentView>('GET', `/api/v1/deployments/${id}`)
    if (['succeeded', 'failed', 'cancelled'].includes(d.status)) return d
    await new Promise((r) => setTimeout(r, 200))
  }
}

interface Named {
  readonly id: string
  readonly name: string
}

async function findOrCreate<T extends Named>(
  api: Api,
  listPath: string,
  name: string,
  body: Record<string, unknown>,
): Promise<T> {
  const list = await api.json<{ items: T[] }>('GET', `${listPath}?limit=200`)
  return list.items.find((i) => i.name === name) ?? (await api.json<T>('POST', listPath, body))
}

/** The step the demo runs: GetCallerIdentity through the AWS SDK (no AWS CLI needed). */
function whoamiCommand(): string {
  const here = fileURLToPath(new URL('.', import.meta.url))
  const js = resolve(here, '..', '..', 'runner', 'aws-whoami.js')
  // The SDK warns on stderr that its 2027 releases need Node 22; not news for a demo.
  const quiet = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true'
  if (existsSync(js)) return `${quiet} "${process.execPath}" "${js}"`
  const ts = resolve(here, '..', '..', 'runner', 'aws-whoami.ts')
  return `${quiet} "${process.execPath}" --import "${import.meta.resolve('tsx')}" "${ts}"`
}

/**
 * Seeds the demo idempotently (a second `keyless up --demo` finds and reuses everything) and
 * registers keyless in the emulator with the trust policy `keyless setup aws` generates.
 */
export async function seedDemo(
  api: Api,
  plane: Pick<ControlPlane, 'issuer'>,
  emulatorUrl: string,
  dataDir: string,
): Promise<{
  organizationId: string
  environmentId: string
  roleArn: string
  agentToken: string
}> {
  const org = await findOrCreate<Named & { audience: string }>(
    api,
    '/api/v1/organizations',
    DEMO.organization,
    { name: DEMO.organization },
  )
  const project = await findOrCreate<Named>(
    api,
    `/api/v1/organizations/${org.id}/projects`,
    DEMO.project,
    { name: DEMO.project, description: 'created by keyless up --demo' },
  )
  const steps = [{ name: 'GetCallerIdentity', run: whoamiCommand() }]
  const template = await findOrCreate<Named>(
    api,
    `/api/v1/organizations/${org.id}/templates`,
    DEMO.template,
    { name: DEMO.template, type: 'custom', steps },
  )
  // The script's path depends on how keyless runs (built or from source): keep it current.
  await api.json('PATCH', `/api/v1/templates/${template.id}`, { steps })
  const environment = await findOrCreate<Named>(
    api,
    `/api/v1/projects/${project.id}/environments`,
    DEMO.environment,
    { name: DEMO.environment, templateId: template.id },
  )
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${DEMO.role}`
  const credential = await findOrCreate<Named>(
    api,
    `/api/v1/organizations/${org.id}/credentials`,
    DEMO.credential,
    {
      name: DEMO.credential,
      roleArn,
      durationSeconds: 3600,
      region: 'us-east-1',
      stsEndpoint: emulatorUrl,
    },
  )
  await api.json('PATCH', `/api/v1/credentials/${credential.id}`, { stsEndpoint: emulatorUrl })
  await api.json('PUT', `/api/v1/projects/${project.id}/credentials/${credential.id}`)

  const plan = planSetup({
    organizationId: org.id,
    issuer: plane.issuer,
    audience: org.audience,
    sessionTags: true,
    // Pinned to the demo environment, as `keyless preflight` recommends: a sibling environment
    // or another project of the organization is refused.
    environments: [{ environmentId: environment.id, projectId: project.id }],
    roleName: DEMO.role,
    accountId: ACCOUNT,
  })
  await applySetup(plan, ACCOUNT, { endpointUrl: emulatorUrl, credentials: EMULATOR_KEYS })

  // One agent token per data directory, kept (0600) for the next `keyless up`.
  const tokenFile = join(dataDir, 'demo-agent.token')
  let agentToken: string | undefined
  try {
    agentToken = (await readFile(tokenFile, 'utf8')).trim()
    const tokens = await api.json<{ items: Array<{ name: string; revokedAt?: string | null }> }>(
      'GET',
      `/api/v1/organizations/${org.id}/agent-tokens`,
    )
    if (!tokens.items.some((t) => t.name === 'embedded-agent' && (t.revokedAt ?? null) === null))
      agentToken = undefined
  } catch {
    agentToken = undefined
  }
  if (agentToken === undefined) {
    const created = await api.json<{ token: string }>(
      'POST',
      `/api/v1/organizations/${org.id}/agent-tokens`,
      { name: 'embedded-agent' },
    )
    agentToken = created.token
    await mkdir(dataDir, { recursive: true })
    await writeFile(tokenFile, `${agentToken}\n`, { mode: 0o600 })
  }
  return { organizationId: org.id, environmentId: environment.id, roleArn, agentToken }
}
