import { useState } from 'react'
import type { StateApi } from '../api/state'
import { useMutation, type Mutation } from '../ui/use-mutation'

/** What each panel of the State tab gets; `changed` bumps after a change so every panel reads again. */
export interface StatePanelProps {
  readonly orgId: string
  readonly state: StateApi
  readonly changed: number
  readonly onChanged: () => void
}

export interface ConfirmedChange<T> {
  /** What awaits confirmation (the dialog is open), or null. */
  readonly asked: T | null
  readonly ask: (item: T) => void
  readonly cancel: () => void
  /** Closes the dialog, runs the change and, once it is done, refreshes every panel. */
  readonly confirm: () => void
  readonly mutation: Mutation
}

/** A change to the state behind a confirmation (force-unlock, restore). */
export function useConfirmedChange<T>(
  onChanged: () => void,
  change: (item: T) => Promise<string>,
): ConfirmedChange<T> {
  const [asked, setAsked] = useState<T | null>(null)
  const mutation = useMutation()
  const confirm = (): void => {
    const item = asked
    setAsked(null)
    if (item === null) return
    void mutation.run(async () => {
      const done = await change(item)
      onChanged()
      return done
    })
  }
  return { asked, ask: setAsked, cancel: () => setAsked(null), confirm, mutation }
}
