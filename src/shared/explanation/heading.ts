/**
 * The line above the emulator's explanation of a failed exchange, wherever it is printed: in the
 * AWS failure block the runner logs (src/runner/failure.ts) and after a failed
 * `keyless deploy --wait` (src/cli/failure-lines.ts), which prints it only when the log did not.
 */
export const EMULATOR_EXPLAINS = 'the keyless emulator explains:'
