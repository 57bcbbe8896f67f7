import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * The command that runs the keyless CLI from source (no build needed), for process-level tests:
 * `spawn(process.execPath, [...keylessArgs, 'server', '--port', '0'])`.
 */
export const keylessArgs: readonly string[] = [
  '--import',
  'tsx',
  join(REPO_ROOT, 'test', 'support', 'keyless-from-source.ts'),
]
