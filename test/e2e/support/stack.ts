/**
 * The whole stack as real processes, from source, on random loopback ports: `keyless server`,
 * `keyless emulator` and any number of `keyless agent`s. Short leases (KEYLESS_LEASE_SECONDS) keep
 * the lease tests fast. Every process is killed by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { keylessArgs } from '../../support/cli.js'

/** Parsed JSON answers, read loosely by tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any

export const ACCOUNT = '123456789012'
export const EMULATOR_KEYS = { accessKeyId: 'test', secretAccessKey: 'test' }
export const LEASE_SECONDS = 3

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export interface Proc {
  readonly child: ChildProcess
  readonly output: () => string
  kill(signal?: NodeJS.Signals): Promise<void>
}

const QUIET = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  KEYLESS_LOG_LEVEL: 'warn',
}

export function startProcess(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [...keylessArgs, ...args], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: tmpdir(), ...QUIET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()))
  return {
    child,
    output: () => out,
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve()
          return
        }
        child.once('exit', () => resolve())
        child.kill(signal)
        if (signal !== 'SIGKILL') setTimeout(() => child.kill('SIGKILL'), 5000).unref()
      }),
  }
}

export async function waitForUrl(url: string, proc: Proc, ms = 60_000): Promise<void> {
  const deadline = performance.now() + ms
  for (;;) {
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {
      // not yet
    }
    if (proc.child.exitCode !== null)
      throw new Error(`process exited (${proc.child.exitCode}):\n${proc.output()}`)
    if (performance.now() > deadline)
      throw new Error(`timed out waiting for ${url}:\n${proc.output()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** The URL a process printed (`… listening on <url>`), once it has. */
async function printedUrl(proc: Proc, pattern: RegExp, ms = 30_000): Promise<string> {
  const deadline = performance.now() + ms
  for (;;) {
    const m = pattern.exec(proc.output())
    if (m?.[1] !== undefined) return m[1]
    if (proc.child.exitCode !== null || performance.now() > deadline)
      throw new Error(`no URL matching ${String(pattern)} in:\n${proc.output()}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export interface Stack {
  readonly serverUrl: string
  readonly emulatorUrl: string
  /** The Entra ID emulator (HTTPS, from the CA in `emulatorCaFile`). */
  readonly azureUrl: string
  readonly emulatorCaFile: string
  /** The Google emulator (STS, IAM, IAM Credentials on one plain-http port). */
  readonly gcpUrl: string
  readonly adminKey: string
  readonly dir: string
  /** Every process's output so far (stdout and stderr), by process. */
  readonly outputs: () => Array<{ readonly name: string; readonly text: string }>
  readonly api: <T = Json>(method: string, path: string, body?: unknown, key?: string) => Promise<T>
  readonly apiRaw: (method: string, path: string, body?: unknown, key?: string) => Promise<Response>
  startAgent(
    token: string,
    options?: { concurrency?: number; name?: string; env?: Record<string, string> },
  ): Proc
  stop(): Promise<void>
}

export interface StackOptions {
  /** PostgreSQL URL (`?schema` is not used: each stack gets its own schema through the URL's search_path). */
  readonly database?: string
  /** More `keyless server` arguments and environment (issuer publication tests). */
  readonly serverArgs?: readonly string[]
  readonly serverEnv?: Readonly<Record<string, string>>
  /** KEYLESS_LOG_LEVEL of every process (default warn). */
  readonly logLevel?: string
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-e2e-'))
  const [serverPort, emulatorPort] = [await freePort(), await freePort()]
  const adminKey = `kl_e2e_owner_${Math.random().toString(36).slice(2)}_${Date.now()}`
  const procs: Proc[] = []
  const named: Array<{ name: string; proc: Proc }> = []
  const level = options.logLevel === undefined ? {} : { KEYLESS_LOG_LEVEL: options.logLevel }
  const server = startProcess(
    [
      'server',
      '--port',
      String(serverPort),
      '--data-dir',
      join(dir, 'data'),
      ...(options.database === undefined ? [] : ['--database', options.database]),
      ...(options.serverArgs ?? []),
    ],
    {
      KEYLESS_ADMIN_KEY: adminKey,
      KEYLESS_LEASE_SECONDS: String(LEASE_SECONDS),
      ...level,
      ...options.serverEnv,
    },
  )
  procs.push(server)
  const emulatorDir = join(dir, 'emulator')
  const emulator = startProcess(
    [
      'emulator',
      '--port',
      String(emulatorPort),
      '--azure-port',
      '0',
      '--gcp-port',
      '0',
      '--data-dir',
      emulatorDir,
    ],
    level,
  )
  procs.push(emulator)
  named.push({ name: 'server', proc: server }, { name: 'emulator', proc: emulator })
  const serverUrl = `http://127.0.0.1:${serverPort}`
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`
  await Promise.all([
    waitForUrl(`${serverUrl}/healthz`, server),
    waitForUrl(`${emulatorUrl}/_keyless/health`, emulator),
  ])
  const azureUrl = await printedUrl(emulator, /Entra ID emulator listening on (https:\/\/\S+)/u)
  const emulatorCaFile = join(emulatorDir, 'emulator-ca.pem')
  const gcpUrl = await printedUrl(emulator, /Google emulator listening on (http:\/\/\S+)/u)

  const apiRaw = (method: string, path: string, body?: unknown, key = adminKey) =>
    fetch(`${serverUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  const api = async <T = Json>(method: string, path: string, body?: unknown, key?: string) => {
    const res = await apiRaw(method, path, body, key)
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`)
    return (text === '' ? undefined : JSON.parse(text)) as T
  }
  let agents = 0
  return {
    serverUrl,
    emulatorUrl,
    azureUrl,
    emulatorCaFile,
    gcpUrl,
    adminKey,
    dir,
    outputs: () => named.map(({ name, proc }) => ({ name, text: proc.output() })),
    api,
    apiRaw,
    startAgent(token, agentOptions = {}) {
      agents += 1
      const agent = startProcess(
        [
          'agent',
          '--server',
          serverUrl,
          '--work-dir',
          join(dir, `agent-${agents}`),
          '--concurrency',
          String(agentOptions.concurrency ?? 2),
          '--name',
          agentOptions.name ?? `agent-${agents}`,
          '--claim-wait',
          '2',
          '--cancel-grace',
          '1',
        ],
        {
          KEYLESS_AGENT_TOKEN: token,
          KEYLESS_CLOUD_CA_FILE: emulatorCaFile,
          ...level,
          ...agentOptions.env,
        },
      )
      procs.push(agent)
      named.push({ name: `agent-${agents}`, proc: agent })
      return agent
    },
    async stop() {
      await Promise.all(procs.map((p) => p.kill()))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
