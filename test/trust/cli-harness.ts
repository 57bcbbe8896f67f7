/** Runs the trust commands in-process with captured output and a fixed clock. */
import { Command } from 'commander'
import { reportCliError } from '../../src/cli/program.js'
import { register as explain } from '../../src/cli/commands/explain.js'
import { register as lint } from '../../src/cli/commands/lint.js'
import { register as preflight } from '../../src/cli/commands/preflight.js'
import { register as setup } from '../../src/cli/commands/setup.js'
import { register as thumbprint } from '../../src/cli/commands/thumbprint.js'
import { register as token } from '../../src/cli/commands/token.js'
import { systemClock, type Clock } from '../../src/shared/clock.js'
import type { CommandIo } from '../../src/trust/index.js'

export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export async function runTrustCli(
  args: readonly string[],
  options: { stdin?: string | Buffer; clock?: Clock } = {},
): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  let code = 0
  const io: CommandIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: () => Promise.resolve(Buffer.from(options.stdin ?? '')),
    clock: options.clock ?? systemClock,
    setExitCode: (c) => {
      code = c
    },
  }
  const program = new Command('keyless').exitOverride().configureOutput({
    writeOut: (s) => (stdout += s),
    writeErr: (s) => (stderr += s),
  })
  for (const register of [lint, explain, preflight, setup, thumbprint, token]) register(program, io)
  try {
    await program.parseAsync(['node', 'keyless', ...args])
  } catch (error) {
    code = reportCliError(error, {
      write: (s: string) => ((stderr += s), true),
    } as NodeJS.WritableStream)
  }
  return { code, stdout, stderr }
}
