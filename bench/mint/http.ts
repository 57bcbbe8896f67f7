import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { apiClient, createMintFixture, startServer } from '../../test/idp/server-process.js'
import { cpuSecondsOf, type Rate } from './raw.js'
import { keylessBuiltArgs } from '../../test/support/cli.js'
import { pin } from '../support/wrk.js'

interface AutocannonResult {
  readonly requests: { readonly average: number; readonly total: number }
  readonly latency: { readonly p50: number; readonly p99: number }
  readonly non2xx: number
  readonly errors: number
  readonly duration: number
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>

// autocannon ships no types; it is loaded through require with the small shape used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

export interface HttpMintRun {
  /** Tokens per wall-clock second, and per CPU-second of the server process (all its threads). */
  readonly rate: Rate
  readonly p50: number
  readonly p99: number
  readonly total: number
}

/** Mints for `seconds` over `connections` keep-alive connections; rates from the server's CPU. */
export function autocannonMeasure(
  url: string,
  key: string,
  pid: number,
): (seconds: number, connections: number) => Promise<HttpMintRun> {
  return async (seconds, connections) => {
    const cpu0 = cpuSecondsOf(pid)
    const result = await autocannon({
      url,
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      connections,
      duration: seconds,
    })
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`mint over HTTP failed: ${result.non2xx} non-2xx, ${result.errors} errors`)
    return {
      rate: {
        wall: result.requests.total / result.duration,
        cpu: result.requests.total / (cpuSecondsOf(pid) - cpu0),
      },
      p50: result.latency.p50,
      p99: result.latency.p99,
      total: result.requests.total,
    }
  }
}

/** A real `keyless server` process with one deployment to mint for, driven by autocannon. */
export async function withMintServer<T>(
  body: (measure: (seconds: number, connections: number) => Promise<HttpMintRun>) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyless-bench-http-'))
  const server = await startServer(dataDir, {
    env: { KEYLESS_LOG_LEVEL: 'error' },
    cli: keylessBuiltArgs,
  })
  try {
    pin(server.child.pid, 0)
    const call = apiClient(server.url, server.adminKey)
    const { deployment } = await createMintFixture(call)
    const url = `${server.url}/api/v1/deployments/${deployment.id}/oidc-token`
    const pid = server.child.pid
    if (pid === undefined) throw new Error('keyless server has no pid')
    const measure = autocannonMeasure(url, server.adminKey, pid)
    await measure(1, 4) // warm-up: JIT, SQLite page cache, connection setup
    return await body(measure)
  } finally {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
