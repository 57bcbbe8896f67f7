/**
 * What an idle `keyless server` holds (idle RSS, BENCHMARKS.md): the AWS SDK clients (IAM, STS,
 * S3) and the CEL library are loaded on first use only (src/shared/lazy-module.ts), never at
 * start. The process runs with a module hook that logs every ESM module it loads.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { keylessArgs } from '../support/cli.js'
import { listeningUrl } from '../support/listening-url.js'

const javascript = (source: string): string => `data:text/javascript,${encodeURIComponent(source)}`
/** A module hook writing `LOADED <url>` to stderr for every ESM module, registered by --import. */
const LOGGER = javascript(
  'export async function load(url, context, next) { process.stderr.write(`LOADED ${url}\\n`); return next(url, context) }',
)
const LOG_LOADS = javascript(
  `import { register } from 'node:module'; register(${JSON.stringify(LOGGER)})`,
)

/** Every module URL a server loaded from its start to its first answered request. */
async function modulesOfIdleServer(dataDir: string): Promise<string[]> {
  const child = spawn(
    process.execPath,
    ['--import', LOG_LOADS, ...keylessArgs, 'server', '--port', '0', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KEYLESS_LOG_LEVEL: 'warn' } },
  )
  let err = ''
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  try {
    const url = await listeningUrl(child, 'keyless server', () => err, 60_000)
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
  } finally {
    child.kill('SIGTERM')
  }
  return err
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => l.slice('LOADED '.length))
}

const NOT_AT_START = ['/node_modules/@aws-sdk/', '/node_modules/@bufbuild/']

describe('an idle keyless server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyless-idle-modules-'))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('has not loaded the AWS SDK or CEL', async () => {
    const loaded = await modulesOfIdleServer(dataDir)
    // The hook saw the server's own libraries, so an absence below means something.
    expect(loaded.some((u) => u.includes('/node_modules/kysely/'))).toBe(true)
    expect(loaded.some((u) => u.includes('/node_modules/fastify/'))).toBe(true)
    expect(loaded.filter((u) => NOT_AT_START.some((part) => u.includes(part)))).toEqual([])
  }, 90_000)
})
