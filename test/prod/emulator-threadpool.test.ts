/**
 * `keyless emulator` from the built CLI sizes the libuv threadpool on which it checks token
 * signatures (bin/keyless.js, src/emulator/oidc/signature-checks.ts): one thread fewer than the
 * cores, at least one, unless UV_THREADPOOL_SIZE is set. Read from the process's thread count,
 * against the same process started with UV_THREADPOOL_SIZE=1.
 */
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import { keylessBuiltArgs } from '../support/cli.js'
import { listeningUrl } from '../support/listening-url.js'

/** The threads of a started `keyless emulator` (AWS only) with `env`. */
async function emulatorThreads(env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(
    process.execPath,
    [...keylessBuiltArgs, 'emulator', '--port', '0', '--clouds', 'aws', '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'], env },
  )
  let err = ''
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  try {
    await listeningUrl(child, 'keyless emulator', () => err, 60_000)
    return readdirSync(`/proc/${child.pid}/task`).length
  } finally {
    child.kill('SIGTERM')
  }
}

function envWithout(name: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra }
  if (!(name in extra)) delete env[name]
  return env
}

describe('keyless emulator threadpool', () => {
  it('has one thread fewer than the cores (at least one) unless UV_THREADPOOL_SIZE is set', async () => {
    const one = await emulatorThreads(envWithout('UV_THREADPOOL_SIZE', { UV_THREADPOOL_SIZE: '1' }))
    const sized = await emulatorThreads(envWithout('UV_THREADPOOL_SIZE'))
    const three = await emulatorThreads(
      envWithout('UV_THREADPOOL_SIZE', { UV_THREADPOOL_SIZE: '3' }),
    )
    expect(sized - one).toBe(Math.max(1, availableParallelism() - 1) - 1)
    expect(three - one).toBe(2)
  }, 120_000)
})
