/**
 * Starts a benchmark floor (bench/floors/) as its own process, from source like the emulator and
 * the server under test, and waits for its `listening on URL` line.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { REPO_ROOT } from '../../test/support/cli.js'
import { listeningUrl } from '../../test/support/listening-url.js'

export interface FloorProcess {
  readonly url: string
  readonly child: ChildProcess
}

export async function startFloor(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<FloorProcess> {
  const loader = pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
  const child = spawn(
    process.execPath,
    ['--import', loader, join(REPO_ROOT, 'bench', 'floors', file), ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    },
  )
  let err = ''
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const url = await listeningUrl(child, file, () => err)
  return { url, child }
}
