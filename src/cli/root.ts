import { Command, CommanderError } from 'commander'
import { isKeylessError } from '../shared/errors.js'
import { errorTable } from '../shared/error-codes.js'

/**
 * After a usage error (an unknown or missing option, a typo: commander adds "Did you mean …?"),
 * where to find the options — not the whole help, which buries the one line that matters.
 */
export const USAGE_HINT = '(add --help for the options)'

/** The `keyless` program without its commands (src/cli/program.ts adds them all). */
export function rootProgram(): Command {
  return new Command('keyless')
    .description(
      'Short-lived AWS, Azure and Google Cloud credentials for infrastructure deployments through OpenID Connect',
    )
    .version('0.1.0')
    .showHelpAfterError(USAGE_HINT)
    .configureOutput({
      outputError: (text, write) => write(text.replace(/^error: /u, 'keyless: ')),
    })
    .exitOverride()
}

/** Writes a one-line error (never a stack trace) and returns the exit code it maps to. */
export function reportCliError(
  error: unknown,
  stderr: NodeJS.WritableStream = process.stderr,
): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0
    return error.exitCode === 0 ? 0 : 2
  }
  if (isKeylessError(error)) {
    stderr.write(`keyless: ${error.message}\n`)
    return errorTable[error.code].exit
  }
  const message = error instanceof Error ? error.message : String(error)
  stderr.write(`keyless: unexpected error: ${message}\n`)
  return errorTable.internal_error.exit
}
