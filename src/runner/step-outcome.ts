import type { ProcessOutcome } from './process.js'

/** How a step's process ended, in the words of the log: undefined when it succeeded. */
export function stepFailure(outcome: ProcessOutcome): string | undefined {
  if (outcome.spawnError !== undefined) return `could not start: ${outcome.spawnError}`
  if (outcome.exitCode === 0) return undefined
  return outcome.exitCode === null
    ? `was killed by ${outcome.signal ?? 'a signal'}`
    : `exited with code ${outcome.exitCode}`
}

export function firstLine(text: string): string {
  const i = text.indexOf('\n')
  return i < 0 ? text : text.slice(0, i)
}
