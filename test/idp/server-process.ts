/**
 * `keyless server` as a real process (run from source) on a free loopback port, and the REST
 * calls that set up a deployment to mint for. Used by the process-level test and the mint
 * benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { keylessArgs } from '../support/cli.js'

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

export interface ServerProcess {
  readonly url: string
  readonly dataDir: string
  readonly adminKey: string
  readonly child: ChildProcess
  /** What the process wrote so far (for failure messages). */
  output(): string
  stop(): Promise<void>
}

/** Runs `keyless …` from source to completion; resolves with its exit code and output. */
export function runKeyless(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...keylessArgs, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Starts `keyless server --port <free> --data-dir <dataDir>` and waits for `/healthz`. */
export async function startServer(
  dataDir: string,
  options: {
    env?: Readonly<Record<string, string>>
    timeoutMs?: number
    /** The CLI command (default: from source, `keylessArgs`). */
    cli?: readonly string[]
  } = {},
): Promise<ServerProcess> {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [...(options.cli ?? keylessArgs), 'server', '--port', String(port), '--data-dir', dataDir],
    {
      env: { ...process.env, KEYLESS_LOG_LEVEL: 'warn', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  let exited: number | null | undefined
  child.on('exit', (code) => (exited = code))
  const url = `http://127.0.0.1:${port}`
  const stop = async (): Promise<void> => {
    if (exited !== undefined || child.exitCode !== null) return
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await gone
    clearTimeout(timer)
  }
  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  for (;;) {
    if (exited !== undefined)
      throw new Error(`keyless server exited with ${String(exited)}:\n${output}`)
    try {
      const res = await fetch(`${url}/healthz`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`keyless server did not answer /healthz in time:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  const adminKey = (await readFile(join(dataDir, 'admin.key'), 'utf8')).trim()
  return { url, dataDir, adminKey, child, output: () => output, stop }
}

/** A small JSON client for the REST API. */
export function apiClient(baseUrl: string, key: string) {
  return async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`)
    return (text === '' ? {} : JSON.parse(text)) as T
  }
}

export interface MintFixture {
  readonly organization: { id: string; name: string; audience: string; subjectTemplate: string }
  readonly project: { id: string; name: string }
  readonly template: { id: string; name: string }
  readonly environment: { id: string; name: string }
  readonly credential: { id: string }
  readonly deployment: { id: string; type: string }
  readonly userTag: string
}

/** Organization → project, template → environment, credential (assigned), user tag, deployment. */
export async function createMintFixture(
  call: ReturnType<typeof apiClient>,
  names: { organization?: string } = {},
): Promise<MintFixture> {
  type Obj = { id: string; name: string }
  const organization = await call<MintFixture['organization']>('POST', '/api/v1/organizations', {
    name: names.organization ?? 'Acme Ltd',
  })
  const org = organization.id
  const project = await call<Obj>('POST', `/api/v1/organizations/${org}/projects`, {
    name: 'Network',
  })
  const template = await call<Obj>('POST', `/api/v1/organizations/${org}/templates`, {
    name: 'VPC',
    type: 'custom',
    steps: [{ name: 'hello', run: 'echo hello' }],
  })
  const environment = await call<Obj>('POST', `/api/v1/projects/${project.id}/environments`, {
    name: 'staging',
    templateId: template.id,
  })
  const credential = await call<{ id: string }>(
    'POST',
    `/api/v1/organizations/${org}/credentials`,
    { name: 'aws', roleArn: 'arn:aws:iam::123456789012:role/keyless-deploy' },
  )
  await call('PUT', `/api/v1/projects/${project.id}/credentials/${credential.id}`)
  const userTag = 'change 42'
  await call('PUT', `/api/v1/environments/${environment.id}/variables/KEYLESS_OIDC_TAG`, {
    value: userTag,
  })
  const deployment = await call<{ id: string; type: string }>(
    'POST',
    `/api/v1/environments/${environment.id}/deployments`,
    { type: 'deploy' },
  )
  return { organization, project, template, environment, credential, deployment, userTag }
}
