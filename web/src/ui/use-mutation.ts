import { useCallback, useState } from 'react'
import { fieldError } from './fields'

/** What an action resolves to: the status line to show ("Saved"), or nothing. */
export type ActionResult = string | null | undefined | void

export interface Mutation {
  /** True while an action runs. */
  readonly busy: boolean
  /** The last action's error (null when it succeeded or none ran). */
  readonly error: unknown
  /** The last successful action's status line (null before one, or when it said nothing). */
  readonly done: string | null
  /** Runs an action: clears error and status, sets busy, records the outcome. */
  readonly run: (action: () => Promise<ActionResult>) => Promise<void>
  /** The API's message for one form field of the last error. */
  readonly fieldError: (name: string) => string | undefined
  /** Clears the error and the status line (e.g. when the form's subject changes). */
  readonly reset: () => void
}

/** The busy / error / saved state of a form or a button that changes something. */
export function useMutation(): Mutation {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [done, setDone] = useState<string | null>(null)
  const run = useCallback(async (action: () => Promise<ActionResult>): Promise<void> => {
    setBusy(true)
    setError(null)
    setDone(null)
    try {
      const result = await action()
      setDone(typeof result === 'string' ? result : null)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }, [])
  const reset = useCallback(() => {
    setError(null)
    setDone(null)
  }, [])
  return { busy, error, done, run, fieldError: (name) => fieldError(error, name), reset }
}
