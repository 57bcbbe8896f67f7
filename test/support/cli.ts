import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, join } from 'node:path'

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * The command that runs the keyless CLI from source (no build needed), for process-level tests:
 * `spawn(process.execPath, [...keylessArgs, 'server', '--port', '0'])`. The tsx loader is named by
 * its absolute URL so that the child may run in any working directory.
 */
export const keylessArgs: readonly string[] = [
  '--import',
  pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
  join(REPO_ROOT, 'test', 'support', 'keyless-from-source.ts'),
]

/** `KEYLESS_BENCH_CPU_PROF=<dir>`: the built CLI writes a V8 CPU profile there when it exits. */
const profileDir = process.env['KEYLESS_BENCH_CPU_PROF']

/**
 * The command that runs the built CLI (`bin/keyless.js`, dist/ from `npm run build`): what a user
 * runs. The benchmarks measure it (bench/run.ts builds first); tests run from source. With
 * `KEYLESS_BENCH_CPU_PROF` set, under `--cpu-prof` (sampled every 200 µs) for `npm run bench`.
 */
export const keylessBuiltArgs: readonly string[] = [
  ...(profileDir === undefined || profileDir === ''
    ? []
    : ['--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', profileDir]),
  join(REPO_ROOT, 'bin', 'keyless.js'),
]
