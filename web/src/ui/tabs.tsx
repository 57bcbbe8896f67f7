import type { ReactNode } from 'react'

/** A tab list over a few choices (arrow keys move between them), labelling one panel. */
export function Tabs<T extends string>({
  tabs,
  value,
  onChange,
  label,
  panelId,
}: {
  tabs: ReadonlyArray<readonly [T, string]>
  value: T
  onChange: (value: T) => void
  label: string
  panelId: string
}): ReactNode {
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map(([t, text]) => (
        <button
          key={t}
          type="button"
          role="tab"
          id={`${panelId}-tab-${t}`}
          aria-selected={value === t}
          aria-controls={panelId}
          tabIndex={value === t ? 0 : -1}
          className={value === t ? 'tab active' : 'tab'}
          onClick={() => onChange(t)}
          onKeyDown={(e) => {
            const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
            if (delta === 0) return
            e.preventDefault()
            const i = tabs.findIndex(([x]) => x === value)
            const next = tabs[(i + delta + tabs.length) % tabs.length]
            if (next === undefined) return
            onChange(next[0])
            document.getElementById(`${panelId}-tab-${next[0]}`)?.focus()
          }}
        >
          {text}
        </button>
      ))}
    </div>
  )
}
