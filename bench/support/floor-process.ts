/**
 * Starts a benchmark floor (bench/floors/) as its own process, from source like the emulator and
 * the server under test, and waits for its `listening on URL` line.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { REPO_ROOT } from '../../test/support/cli.js'

export interface FloorProcess {
  readonly url: string
  readonly child: ChildProcess
}

export async function startFloor(file: string, args: readonly string[]): Promise<FloorProcess> {
  const loader = pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
  const child = spawn(
    process.execPath,
    ['--import', loader, join(REPO_ROOT, 'bench', 'floors', file), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let err = ''
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`${file} did not start: ${err}`)), 30_000)
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on (http:\/\/\S+)/u.exec(out)
      if (m?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${file} exited with ${code ?? 'signal'}: ${err}`))
    })
  })
  return { url, child }
}
