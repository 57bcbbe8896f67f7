import { runCli } from '../cli/program.js'

/** Entry of the `keyless` binary (see bin/keyless.js). */
export async function main(argv: readonly string[]): Promise<void> {
  await runCli(argv)
}
