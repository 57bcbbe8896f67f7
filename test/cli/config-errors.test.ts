/**
 * Bad configuration is the normal config error (one `keyless: …` line per problem, exit 2) for
 * every command, never `unexpected error` (exit 70): bad numbers and levels from flags or
 * variables, and a port that is already taken, the emulator's as the control plane's.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keylessArgs } from '../support/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'keyless-config-'))
let busy: Server
let busyPort = 0

beforeAll(async () => {
  busy = createServer()
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
  const address = busy.address()
  busyPort = typeof address === 'object' && address !== null ? address.port : 0
})

afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

function keyless(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [...keylessArgs, ...args], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout.resume()
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr })
    })
  })
}

const BUSY = '<busy>'
const cases: ReadonlyArray<{
  name: string
  args: string[]
  env?: Record<string, string>
  stderr: RegExp
}> = [
  {
    name: 'up --emulator-port xyz',
    args: ['up', '--emulator-port', 'xyz'],
    stderr: /--emulator-port: must be a port number/u,
  },
  {
    name: 'up with KEYLESS_LOG_LEVEL=bogus',
    args: ['up'],
    env: { KEYLESS_LOG_LEVEL: 'bogus' },
    stderr: /KEYLESS_LOG_LEVEL: must be one of/u,
  },
  {
    name: 'server with KEYLESS_LOG_LEVEL=bogus',
    args: ['server'],
    env: { KEYLESS_LOG_LEVEL: 'bogus' },
    stderr: /KEYLESS_LOG_LEVEL: must be one of/u,
  },
  {
    name: 'agent --concurrency lots',
    args: ['agent', '--token', 'x', '--concurrency', 'lots'],
    stderr: /--concurrency: must be an integer/u,
  },
  {
    name: 'up with the emulator port (KEYLESS_EMULATOR_PORT) taken',
    args: ['up', '--port', '0'],
    env: { KEYLESS_EMULATOR_PORT: BUSY },
    stderr: /cannot listen on 127\.0\.0\.1:\d+ \(--emulator-port\)/u,
  },
  {
    name: 'up with the control plane port taken',
    args: ['up', '--port', BUSY, '--emulator-port', '0'],
    stderr: /cannot listen on 127\.0\.0\.1:\d+/u,
  },
  {
    name: 'emulator with its port taken',
    args: ['emulator', '--port', BUSY],
    stderr: /cannot listen on 127\.0\.0\.1:\d+ \(--port\)/u,
  },
]

describe('configuration errors exit 2 with one clear line', () => {
  it.each(cases)(
    '$name',
    async ({ args, env, stderr }) => {
      const fill = (v: string): string => (v === BUSY ? String(busyPort) : v)
      const data = mkdtempSync(join(dir, 'data-'))
      const result = await keyless(
        [...args.map(fill), '--data-dir', data],
        Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, fill(v)])),
      )
      expect(result.stderr).toMatch(stderr)
      expect(result.stderr).not.toMatch(/unexpected error/u)
      expect(result.code).toBe(2)
    },
    90_000,
  )
})

/** `keyless keys rotate` names its own flag (`--prepublish`), not the server's `--key-prepublish`. */
const prepublishCases: ReadonlyArray<{
  name: string
  args: string[]
  env: Record<string, string>
  origin: string
}> = [
  { name: '--prepublish 5', args: ['--prepublish', '5'], env: {}, origin: '--prepublish' },
  {
    name: 'KEYLESS_KEY_PREPUBLISH=5',
    args: [],
    env: { KEYLESS_KEY_PREPUBLISH: '5' },
    origin: 'KEYLESS_KEY_PREPUBLISH',
  },
]

describe('keyless keys rotate with a window under 10 s', () => {
  it.each(prepublishCases)(
    '$name',
    async ({ args, env, origin }) => {
      const data = mkdtempSync(join(dir, 'keys-'))
      const result = await keyless(['keys', 'rotate', '--data-dir', data, ...args], env)
      expect(result).toEqual({
        code: 2,
        stderr: `keyless: invalid configuration:\n  - ${origin}: must be an integer from 10 to 604800 (got "5")\n`,
      })
    },
    90_000,
  )
})
