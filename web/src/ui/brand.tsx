import type { ReactNode } from 'react'

/** The keyless mark: a key with no bit (no static key). */
export function BrandMark(): ReactNode {
  return (
    <span className="brand-mark" aria-hidden="true">
      <svg
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.4"
        strokeLinecap="round"
      >
        <circle cx="8" cy="12" r="4" />
        <path d="M12 12h9M17 12v3" />
      </svg>
    </span>
  )
}
