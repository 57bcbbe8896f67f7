import { setFlagsFromString } from 'node:v8'

/**
 * Entry of the `keyless` binary (see bin/keyless.js). Startup allocates mostly what lives as long
 * as the process (modules, schemas, compiled queries); V8 would grow its young generation to the
 * maximum on that and keep it while the process idles (about 30 MB of RSS for `keyless server`).
 * So the young generation does not grow until the command has started, then grows as usual.
 * The command's module alone is loaded (src/cli/run.ts).
 */
export async function main(argv: readonly string[]): Promise<void> {
  setFlagsFromString('--semi-space-growth-factor=1')
  try {
    const { runCliLazily } = await import('../cli/run.js')
    await runCliLazily(argv)
  } finally {
    setFlagsFromString('--semi-space-growth-factor=2')
  }
}
