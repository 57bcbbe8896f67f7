/**
 * What the deployment benchmarks run against, in this process with real HTTP servers on
 * loopback: a control plane on SQLite, the AWS emulator, an organization whose AWS credential
 * the emulator trusts (the role of `keyless setup aws`), and an agent serving it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent, type AgentEvent } from '../../src/agent/index.js'
import { startControlPlane, type ControlPlane } from '../../src/cli/control-plane.js'
import { buildEmulator } from '../../src/emulator/index.js'
import { systemClock } from '../../src/shared/clock.js'
import { loadConfig, serverOptions } from '../../src/shared/config/index.js'
import { silentLogger } from '../../src/shared/logger.js'
import { applySetup, planSetup } from '../../src/trust/index.js'

export const ACCOUNT = '123456789012'
const KEYS = { accessKeyId: 'test', secretAccessKey: 'test' }

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- loosely read JSON answers
export type Api = (method: string, path: string, body?: unknown) => Promise<any>

export function apiClient(url: string, key: string): Api {
  return async (method, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
    return text === '' ? undefined : JSON.parse(text)
  }
}

export interface DeployStack {
  /** A temporary directory, removed by `close`. */
  readonly dir: string
  readonly plane: ControlPlane
  readonly emulatorUrl: string
  /** The REST API with the owner key. */
  readonly api: Api
  readonly ids: { readonly org: string; readonly project: string }
  readonly agentToken: string
  close(): Promise<void>
}

/** The organization with an AWS credential the emulator trusts; its project and an agent token. */
async function organization(api: Api, issuer: string, emulatorUrl: string) {
  const org = await api('POST', '/api/v1/organizations', { name: 'bench' })
  const project = await api('POST', `/api/v1/organizations/${org.id}/projects`, { name: 'p' })
  const credential = await api('POST', `/api/v1/organizations/${org.id}/credentials`, {
    name: 'c',
    roleArn: `arn:aws:iam::${ACCOUNT}:role/bench`,
    stsEndpoint: emulatorUrl,
  })
  await api('PUT', `/api/v1/projects/${project.id}/credentials/${credential.id}`)
  const setup = planSetup({
    organizationId: org.id,
    issuer,
    audience: org.audience,
    sessionTags: true,
    roleName: 'bench',
    accountId: ACCOUNT,
  })
  await applySetup(setup, ACCOUNT, { endpointUrl: emulatorUrl, credentials: KEYS })
  const token = await api('POST', `/api/v1/organizations/${org.id}/agent-tokens`, { name: 'b' })
  return { org: org.id as string, project: project.id as string, agentToken: token.token as string }
}

export async function startDeployStack(name: string): Promise<DeployStack> {
  const dir = mkdtempSync(join(tmpdir(), `keyless-bench-${name}-`))
  const adminKey = `kl_bench_owner_${Date.now()}_abcdefghijklmnop`
  const logger = silentLogger()
  const plane = await startControlPlane(
    loadConfig(serverOptions, {
      flags: { port: 0, dataDir: join(dir, 'data'), adminKey, logLevel: 'silent' },
      env: {},
    }),
    { logger, out: null, webRoot: null },
  )
  const emulator = await buildEmulator({ accountId: ACCOUNT, ...KEYS }, { logger })
  await emulator.listen({ port: 0, host: '127.0.0.1' })
  const address = emulator.server.address()
  const emulatorUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
  const api = apiClient(plane.url, adminKey)
  const { agentToken, ...ids } = await organization(api, plane.issuer, emulatorUrl)
  return {
    dir,
    plane,
    emulatorUrl,
    api,
    ids,
    agentToken,
    async close() {
      await emulator.close()
      await plane.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** One agent (concurrency 1) serving the stack's organization; `start()`ed by the caller. */
export function benchAgent(
  stack: DeployStack,
  baseEnv: Readonly<Record<string, string>>,
  onEvent?: (event: AgentEvent) => void,
  cloudCaFile?: string,
): Agent {
  return new Agent(
    {
      servers: [stack.plane.url],
      token: stack.agentToken,
      workDir: join(stack.dir, 'work'),
      concurrency: 1,
      name: 'bench',
      claimWaitSeconds: 20,
      cancelGraceSeconds: 1,
      baseEnv,
      ...(cloudCaFile === undefined ? {} : { cloudCaFile }),
    },
    { clock: systemClock, logger: silentLogger(), ...(onEvent === undefined ? {} : { onEvent }) },
  )
}
