/**
 * The mint floor (bench/floors/mint-floor.ts) in its own process, measured like `keyless server`
 * (bench/mint/http.ts): same autocannon load, same rates from the server process's CPU.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFloor } from '../support/floor-process.js'
import { pin, stopChild } from '../support/wrk.js'
import { autocannonMeasure, type HttpMintRun } from './http.js'

export async function withMintFloor<T>(
  body: (measure: (seconds: number, connections: number) => Promise<HttpMintRun>) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-bench-floor-'))
  const key = randomBytes(24).toString('base64url')
  const floor = await startFloor('mint-floor.ts', [dir, key])
  try {
    pin(floor.child.pid, 0)
    const pid = floor.child.pid
    if (pid === undefined) throw new Error('the mint floor has no pid')
    const measure = autocannonMeasure(`${floor.url}/mint`, key, pid)
    await measure(1, 4)
    return await body(measure)
  } finally {
    await stopChild(floor.child)
    rmSync(dir, { recursive: true, force: true })
  }
}
