import { useEffect, useId, useRef, type ReactNode } from 'react'

/** The page frame: sets the document title and moves focus to the heading on navigation. */
export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string
  description?: ReactNode
  actions?: ReactNode
}): ReactNode {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = `${title} · keyless`
    ref.current?.focus({ preventScroll: true })
  }, [title])
  return (
    <header className="page-header">
      <div>
        <h1 tabIndex={-1} ref={ref}>
          {title}
        </h1>
        {description === undefined ? null : <p className="lead">{description}</p>}
      </div>
      {actions === undefined ? null : <div className="page-actions">{actions}</div>}
    </header>
  )
}

export function Section({
  title,
  children,
  actions,
  id,
}: {
  title: string
  children: ReactNode
  actions?: ReactNode
  id?: string
}): ReactNode {
  const headingId = useId()
  return (
    <section className="card" aria-labelledby={headingId} id={id}>
      <div className="card-header">
        <h2 id={headingId}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  )
}
