/** `keyless server` as a process: bootstrap owner key (0600, printed once), serving, graceful stop. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { keylessArgs } from '../support/cli.js'

const children: ChildProcess[] = []
const dirs: string[] = []

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

async function start(dataDir: string, env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    [...keylessArgs, 'server', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  children.push(child)
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 45_000)
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/u.exec(out)
      if (m?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.once('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)))
  })
  await new Promise((r) => setTimeout(r, 100))
  return { child, url, output: () => out }
}

describe('keyless server (process)', () => {
  it('creates the owner key once, serves the API, and stops on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'keyless-server-'))
    dirs.push(dataDir)
    const first = await start(dataDir)
    const key = (await readFile(join(dataDir, 'admin.key'), 'utf8')).trim()
    expect((await stat(join(dataDir, 'admin.key'))).mode & 0o777).toBe(0o600)
    expect(first.output()).toContain(key)
    expect(first.output()).toContain('OIDC issuer:   http://127.0.0.1:')
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200)
    const created = await fetch(`${first.url}/api/v1/organizations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'proc' }),
    })
    expect(created.status).toBe(201)
    const discovery = (await (
      await fetch(`${first.url}/.well-known/openid-configuration`)
    ).json()) as { issuer: string }
    expect(discovery.issuer).toBe(first.url)
    const exited = new Promise<number | null>((r) => first.child.once('exit', r))
    first.child.kill('SIGTERM')
    expect(await exited).toBe(0)

    // Second start on the same data: no new key printed, the old one still works.
    const second = await start(dataDir)
    expect(second.output()).not.toContain(key)
    const list = await fetch(`${second.url}/api/v1/organizations`, {
      headers: { authorization: `Bearer ${key}` },
    })
    expect(list.status).toBe(200)
    second.child.kill('SIGTERM')
  })

  it('takes the owner key from KEYLESS_ADMIN_KEY on an empty store', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'keyless-server-'))
    dirs.push(dataDir)
    const preset = 'kl_preset-owner-key-for-tests-0123456789'
    const s = await start(dataDir, {
      KEYLESS_ADMIN_KEY: preset,
      KEYLESS_ADMIN_EMAIL: 'root@example.com',
    })
    expect((await readFile(join(dataDir, 'admin.key'), 'utf8')).trim()).toBe(preset)
    const res = await fetch(`${s.url}/api/v1/organizations`, {
      headers: { authorization: `Bearer ${preset}` },
    })
    expect(res.status).toBe(200)
    s.child.kill('SIGTERM')
  })
})
