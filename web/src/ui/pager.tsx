import type { ReactNode } from 'react'

/** First / next page buttons for a keyset-paged list (hidden when there is one page). */
export function Pager({
  hasPrevious,
  nextCursor,
  onFirst,
  onNext,
}: {
  hasPrevious: boolean
  nextCursor: string | null
  onFirst: () => void
  onNext: (cursor: string) => void
}): ReactNode {
  if (!hasPrevious && nextCursor === null) return null
  return (
    <nav className="pager" aria-label="Pages">
      <button
        type="button"
        className="button secondary small"
        disabled={!hasPrevious}
        onClick={onFirst}
      >
        First page
      </button>
      <button
        type="button"
        className="button secondary small"
        disabled={nextCursor === null}
        onClick={() => nextCursor !== null && onNext(nextCursor)}
      >
        Next page
      </button>
    </nav>
  )
}
