import type { Command } from 'commander'
import { commandModules } from './commands/modules.js'
import { reportCliError, rootProgram } from './root.js'

/**
 * The program for `argv`: with a known command first, that command alone (its module loaded
 * now, the others never); anything else (`--help`, `--version`, a typo) gets every command.
 */
async function programFor(argv: readonly string[]): Promise<Command> {
  const name = argv[2] ?? ''
  const load = Object.hasOwn(commandModules, name) ? commandModules[name] : undefined
  if (load === undefined) {
    const { buildProgram } = await import('./program.js')
    return buildProgram()
  }
  const program = rootProgram()
  ;(await load()).register(program)
  return program
}

/** Runs the CLI; sets `process.exitCode` instead of exiting so servers keep running. */
export async function runCliLazily(argv: readonly string[]): Promise<void> {
  try {
    const program = await programFor(argv)
    await program.parseAsync([...argv])
  } catch (error) {
    process.exitCode = reportCliError(error)
  }
}
