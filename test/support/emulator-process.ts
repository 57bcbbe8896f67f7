/**
 * Starts `keyless emulator` (from source unless `cli` says otherwise) in its own process on a random loopback port and
 * returns its endpoint. Used by process-level tests and the benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { keylessArgs } from './cli.js'
import { listeningUrl } from './listening-url.js'

export interface EmulatorProcess {
  readonly endpoint: string
  readonly child: ChildProcess
  /** Everything the process wrote to stderr so far. */
  stderr(): string
  stop(): Promise<void>
}

export async function startEmulatorProcess(
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
  cli: readonly string[] = keylessArgs,
): Promise<EmulatorProcess> {
  const child = spawn(
    process.execPath,
    [
      ...cli,
      'emulator',
      '--port',
      '0',
      '--azure-port',
      '0',
      '--gcp-port',
      '0',
      '--log-level',
      'warn',
      ...args,
    ],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let err = ''
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const endpoint = await listeningUrl(child, 'emulator', () => err)
  return {
    endpoint,
    child,
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve()
          return
        }
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
