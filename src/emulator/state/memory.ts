import type { Collection, EmulatorState, SessionRecord } from './types.js'

/**
 * In-memory state. Writes inside `transaction` are journaled and undone when the function
 * throws, so a failed action never leaves partial state.
 */
export function memoryState(): EmulatorState {
  let journal: Array<() => void> | undefined

  function collection<T>(): Collection<T> & { readonly map: Map<string, T> } {
    const map = new Map<string, T>()
    const remember = (key: string): void => {
      if (journal === undefined) return
      const had = map.has(key)
      const old = map.get(key)
      journal.push(() => {
        if (had) map.set(key, old as T)
        else map.delete(key)
      })
    }
    return {
      map,
      get: (key) => map.get(key),
      put: (key, value) => {
        remember(key)
        map.set(key, value)
      },
      delete: (key) => {
        remember(key)
        return map.delete(key)
      },
      list: () => [...map.values()],
    }
  }

  const sessions = collection<SessionRecord>()
  return {
    providers: collection(),
    roles: collection(),
    sessions,
    documents: collection(),
    purgeExpiredSessions(nowMs) {
      for (const [key, s] of sessions.map) if (s.expiresAt < nowMs) sessions.map.delete(key)
    },
    transaction<T>(fn: () => T): T {
      if (journal !== undefined) return fn()
      journal = []
      try {
        const result = fn()
        journal = undefined
        return result
      } catch (error) {
        const undo = journal ?? []
        journal = undefined
        for (const step of undo.reverse()) step()
        throw error
      }
    },
    close() {},
  }
}
