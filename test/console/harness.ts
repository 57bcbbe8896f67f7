/**
 * Browser-test harness for the web console: the real control plane started from source as a
 * process (`keyless server` on a free loopback port with a fresh data directory), the console
 * built with Vite into dist/web, and Debian's chromium driven by playwright-core with a fresh
 * user-data directory. Screenshots go to artifacts/screenshots/ (git-ignored).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { keylessArgs, REPO_ROOT } from '../support/cli.js'
import { requireBrowser } from '../support/env.js'

export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
export const SCREENSHOTS = join(REPO_ROOT, 'artifacts', 'screenshots')

/** Whether the suite runs: chromium present, or required (then a missing chromium fails). */
export const haveChromium = existsSync(CHROMIUM)
export const runBrowserSuite = haveChromium || requireBrowser

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

function newestMtime(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))))
}

/**
 * Builds the console into dist/web (Vite only: the control plane runs from source), unless the
 * build there is newer than every file under web/ (other suites may be serving it meanwhile).
 */
export function buildConsole(): void {
  const built = join(REPO_ROOT, 'dist', 'web', 'index.html')
  if (existsSync(built) && statSync(built).mtimeMs > newestMtime(join(REPO_ROOT, 'web'))) return
  const require = createRequire(import.meta.url)
  const result = spawnSync(
    process.execPath,
    [
      join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  )
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stderr}${result.stdout}`)
}

export interface RunningProcess {
  readonly child: ChildProcess
  output(): string
  stop(): Promise<void>
}

export function startProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningProcess {
  const child = spawn(process.execPath, [...keylessArgs, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  return {
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 5000).unref()
      }),
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  proc?: RunningProcess,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    if (proc !== undefined && proc.child.exitCode !== null)
      throw new Error(`${what}: the process exited (${proc.child.exitCode}):\n${proc.output()}`)
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${what}: timed out (${String(last)})\n${proc?.output() ?? ''}`)
}

export interface ControlPlane {
  readonly url: string
  readonly dataDir: string
  readonly adminKey: string
  readonly process: RunningProcess
  api<T>(method: string, path: string, body?: unknown, key?: string): Promise<T>
  stop(): Promise<void>
}

export async function startControlPlane(): Promise<ControlPlane> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyless-console-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const proc = startProcess(
    ['server', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir],
    { KEYLESS_DATA_DIR: dataDir, KEYLESS_LOG_LEVEL: 'warn' },
  )
  await waitFor(
    'control plane /healthz',
    async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined),
    proc,
  )
  const adminKey = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim()
  const api = async <T>(
    method: string,
    path: string,
    body?: unknown,
    key = adminKey,
  ): Promise<T> => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${key}` } }
    if (body !== undefined) {
      init.headers = { ...init.headers, 'content-type': 'application/json' }
      init.body = JSON.stringify(body)
    }
    const response = await fetch(`${url}/api/v1${path}`, init)
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`)
    return (text === '' ? undefined : JSON.parse(text)) as T
  }
  return {
    url,
    dataDir,
    adminKey,
    process: proc,
    api,
    stop: async () => {
      await proc.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface Browser {
  readonly context: BrowserContext
  readonly page: Page
  /** Console errors and page errors seen so far, minus the ones a test announced. */
  errors(): string[]
  /** Announce that the next `count` failed-resource messages with this status are intended. */
  expectHttpErrors(status: number, count?: number): void
  close(): Promise<void>
}

export async function launchBrowser(): Promise<Browser> {
  if (!haveChromium)
    throw new Error(
      `${CHROMIUM} is missing (KEYLESS_REQUIRE_BROWSER=1): apt-get install -y chromium`,
    )
  const userDataDir = mkdtempSync(join(tmpdir(), 'keyless-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const errors: string[] = []
  const allowed = new Map<number, number>()
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const text = msg.text()
    const m = /status of (\d{3})/u.exec(text)
    if (m !== null) {
      const status = Number(m[1])
      const left = allowed.get(status) ?? 0
      if (left > 0) {
        allowed.set(status, left - 1)
        return
      }
    }
    errors.push(`console: ${text}`)
  })
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  return {
    context,
    page,
    errors: () => [...errors],
    expectHttpErrors: (status, count = 1) =>
      allowed.set(status, (allowed.get(status) ?? 0) + count),
    close: async () => {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

/** Screenshots of the current page at 1280 px and at 390 px wide (full page). */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const original = page.viewportSize() ?? { width: 1280, height: 900 }
  await page.evaluate('window.scrollTo(0, 0)')
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-1280.png`), fullPage: true })
  await page.setViewportSize({ width: 390, height: 844 })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-390.png`), fullPage: true })
  // Nothing may overflow sideways on a phone.
  const overflow = await page.evaluate<number>(
    'document.documentElement.scrollWidth - window.innerWidth',
  )
  await page.setViewportSize(original)
  if (overflow > 1) throw new Error(`${name}: the page is ${overflow}px wider than a 390px screen`)
}

export const ACCOUNT_ID = '123456789012'
const EMULATOR_KEYS = { accessKeyId: 'test', secretAccessKey: 'test' }

export interface Emulator {
  readonly url: string
  /** Registers the issuer as an IAM OIDC provider with this client ID, and a role trusting it. */
  createRole(
    issuer: string,
    audience: string,
    roleName: string,
    trustPolicy: unknown,
    maxSessionDuration?: number,
  ): Promise<string>
  stop(): Promise<void>
}

/** `keyless emulator` on a free loopback port. */
export async function startEmulator(): Promise<Emulator> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const proc = startProcess(
    [
      'emulator',
      '--port',
      String(port),
      '--azure-port',
      '0',
      '--gcp-port',
      '0',
      '--host',
      '127.0.0.1',
    ],
    {
      KEYLESS_LOG_LEVEL: 'warn',
    },
  )
  await waitFor(
    'emulator health',
    async () => ((await fetch(`${url}/_keyless/health`)).ok ? true : undefined),
    proc,
  )
  const { CreateOpenIDConnectProviderCommand, CreateRoleCommand, IAMClient } =
    await import('@aws-sdk/client-iam')
  const iam = new IAMClient({ region: 'us-east-1', endpoint: url, credentials: EMULATOR_KEYS })
  const providers = new Set<string>()
  return {
    url,
    createRole: async (issuer, audience, roleName, trustPolicy, maxSessionDuration = 3600) => {
      if (!providers.has(issuer)) {
        await iam.send(
          new CreateOpenIDConnectProviderCommand({ Url: issuer, ClientIDList: [audience] }),
        )
        providers.add(issuer)
      }
      await iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: JSON.stringify(trustPolicy),
          MaxSessionDuration: maxSessionDuration,
        }),
      )
      return `arn:aws:iam::${ACCOUNT_ID}:role/${roleName}`
    },
    stop: () => proc.stop(),
  }
}

/** `keyless agent` for an organization, working in a fresh directory. */
export function startAgent(serverUrl: string, token: string): RunningProcess & { workDir: string } {
  const workDir = mkdtempSync(join(tmpdir(), 'keyless-console-agent-'))
  const proc = startProcess(
    ['agent', '--server', serverUrl, '--token', token, '--work-dir', workDir, '--claim-wait', '2'],
    { KEYLESS_LOG_LEVEL: 'warn', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  )
  return {
    ...proc,
    workDir,
    stop: async () => {
      await proc.stop()
      rmSync(workDir, { recursive: true, force: true })
    },
  }
}
