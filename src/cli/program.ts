import type { Command } from 'commander'
import { commands } from './commands/index.js'
import { reportCliError, rootProgram } from './root.js'

export { reportCliError } from './root.js'

/** Builds the `keyless` command tree. Each command lives in `src/cli/commands/<name>.ts`. */
export function buildProgram(): Command {
  const program = rootProgram()
  for (const register of commands) register(program)
  return program
}

/** Runs the CLI; sets `process.exitCode` instead of exiting so servers keep running. */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = buildProgram()
  try {
    await program.parseAsync([...argv])
  } catch (error) {
    process.exitCode = reportCliError(error)
  }
}
