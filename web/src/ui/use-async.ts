import { useCallback, useEffect, useRef, useState } from 'react'

export type AsyncState<T> =
  | { readonly status: 'loading'; readonly data?: T }
  | { readonly status: 'error'; readonly error: unknown; readonly data?: T }
  | { readonly status: 'ready'; readonly data: T }

/** Loads data when `deps` change; `reload()` fetches again and keeps the old data meanwhile. */
export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' })
  const [tick, setTick] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load
  useEffect(() => {
    const controller = new AbortController()
    setState((s) =>
      s.data === undefined ? { status: 'loading' } : { status: 'loading', data: s.data },
    )
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data })
      },
      (error: unknown) => {
        if (!controller.signal.aborted)
          setState((s) => ({
            status: 'error',
            error,
            ...(s.data === undefined ? {} : { data: s.data }),
          }))
      },
    )
    return () => controller.abort()
  }, [...deps, tick])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  return [state, reload]
}
