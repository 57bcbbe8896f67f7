import type { ReactNode } from 'react'
import { ApiError, describeError } from '../api/client'

export function Loading({ label = 'Loading…' }: { label?: string }): ReactNode {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  )
}

/** An error with what to do about it, and a retry when one makes sense. */
export function ErrorState({
  error,
  onRetry,
}: {
  error: unknown
  onRetry?: () => void
}): ReactNode {
  let hint = 'Retry; if it keeps failing, check the control plane log.'
  if (error instanceof ApiError) {
    if (error.status === 0) hint = 'Check that the control plane is running and reachable.'
    else if (error.status === 403)
      hint = 'Your API key’s role does not allow this. Ask an admin of the organization.'
    else if (error.status === 404)
      hint = 'It may have been deleted, or belongs to another organization.'
  }
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>Something went wrong:</strong> {describeError(error)}
      </p>
      <p className="muted">{hint}</p>
      {onRetry === undefined ? null : (
        <button type="button" className="button secondary" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  )
}

export function Empty({ title, children }: { title: string; children?: ReactNode }): ReactNode {
  return (
    <div className="state state-empty">
      <p className="empty-title">{title}</p>
      {children === undefined ? null : <div className="muted">{children}</div>}
    </div>
  )
}

/** Form-level error: the message plus any field problems no input shows. */
export function FormError({
  error,
  fields = [],
}: {
  error: unknown
  fields?: readonly string[]
}): ReactNode {
  if (error === null || error === undefined) return null
  const others = error instanceof ApiError ? error.otherFields(fields) : []
  return (
    <div className="form-error" role="alert">
      <p>{describeError(error)}</p>
      {others.length === 0 ? null : (
        <ul>
          {others.map((f) => (
            <li key={f.path + f.message}>
              <code>{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
