import {
  useEffect,
  useId,
  useRef,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react'
import { ApiError, describeError } from '../api/client'

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

export function fieldError(error: unknown, name: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(name) : undefined
}

interface FieldShell {
  label: string
  hint?: ReactNode
  error?: string | undefined
  warning?: ReactNode
}

function useFieldIds(error: string | undefined, hint: ReactNode, warning: ReactNode) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const warnId = `${id}-warn`
  const describedBy = [
    hint === undefined ? null : hintId,
    warning === undefined || warning === null || warning === false ? null : warnId,
    error === undefined ? null : errorId,
  ]
    .filter(Boolean)
    .join(' ')
  return { id, hintId, errorId, warnId, describedBy: describedBy === '' ? undefined : describedBy }
}

function FieldMessages({
  hint,
  error,
  warning,
  ids,
}: FieldShell & { ids: ReturnType<typeof useFieldIds> }): ReactNode {
  return (
    <>
      {hint === undefined ? null : (
        <p className="hint" id={ids.hintId}>
          {hint}
        </p>
      )}
      {warning === undefined || warning === null || warning === false ? null : (
        <p className="field-warning" id={ids.warnId}>
          {warning}
        </p>
      )}
      {error === undefined ? null : (
        <p className="field-error" id={ids.errorId}>
          {error}
        </p>
      )}
    </>
  )
}

export function TextField({
  label,
  hint,
  error,
  warning,
  ...input
}: FieldShell & InputHTMLAttributes<HTMLInputElement>): ReactNode {
  const ids = useFieldIds(error, hint, warning)
  return (
    <div className={`field${error === undefined ? '' : ' has-error'}`}>
      <label htmlFor={ids.id}>
        {label}
        {input.required === true ? null : <span className="optional"> (optional)</span>}
      </label>
      <input
        id={ids.id}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={ids.describedBy}
        {...input}
      />
      <FieldMessages hint={hint} error={error} warning={warning} label={label} ids={ids} />
    </div>
  )
}

export function TextArea({
  label,
  hint,
  error,
  warning,
  ...input
}: FieldShell & TextareaHTMLAttributes<HTMLTextAreaElement>): ReactNode {
  const ids = useFieldIds(error, hint, warning)
  return (
    <div className={`field${error === undefined ? '' : ' has-error'}`}>
      <label htmlFor={ids.id}>
        {label}
        {input.required === true ? null : <span className="optional"> (optional)</span>}
      </label>
      <textarea
        id={ids.id}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={ids.describedBy}
        {...input}
      />
      <FieldMessages hint={hint} error={error} warning={warning} label={label} ids={ids} />
    </div>
  )
}

export function SelectField({
  label,
  hint,
  error,
  warning,
  children,
  ...input
}: FieldShell & SelectHTMLAttributes<HTMLSelectElement>): ReactNode {
  const ids = useFieldIds(error, hint, warning)
  return (
    <div className={`field${error === undefined ? '' : ' has-error'}`}>
      <label htmlFor={ids.id}>{label}</label>
      <select
        id={ids.id}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={ids.describedBy}
        {...input}
      >
        {children}
      </select>
      <FieldMessages hint={hint} error={error} warning={warning} label={label} ids={ids} />
    </div>
  )
}

/** An on/off switch: a checkbox with role="switch" so screen readers say on/off. */
export function Toggle({
  label,
  hint,
  checked,
  onChange,
  disabled,
}: {
  label: string
  hint?: ReactNode
  checked: boolean
  onChange: (value: boolean) => void
  disabled?: boolean
}): ReactNode {
  const id = useId()
  return (
    <div className="field toggle-field">
      <label className="toggle" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          role="switch"
          checked={checked}
          disabled={disabled}
          aria-describedby={hint === undefined ? undefined : `${id}-hint`}
          onChange={(e) => onChange(e.target.checked)}
        />
        <span className="toggle-track" aria-hidden="true" />
        <span>{label}</span>
      </label>
      {hint === undefined ? null : (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  )
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }): ReactNode {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (copied === 'idle') return undefined
    const t = window.setTimeout(() => setCopied('idle'), 2000)
    return () => window.clearTimeout(t)
  }, [copied])
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text)
      setCopied('copied')
    } catch {
      setCopied(fallbackCopy(text) ? 'copied' : 'failed')
    }
  }
  return (
    <button type="button" className="button secondary small" onClick={() => void copy()}>
      <span aria-live="polite">
        {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Select and copy' : label}
      </span>
    </button>
  )
}

function fallbackCopy(text: string): boolean {
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.appendChild(area)
  area.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  area.remove()
  return ok
}

/** A value to copy: monospace, with a copy button. */
export function CopyValue({ value, label }: { value: string; label: string }): ReactNode {
  return (
    <div className="copy-value">
      <code>{value}</code>
      <CopyButton text={value} label={`Copy ${label}`} />
    </div>
  )
}

export function CodeBlock({ code, label }: { code: string; label: string }): ReactNode {
  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span>{label}</span>
        <CopyButton text={code} label={`Copy ${label}`} />
      </div>
      <pre tabIndex={0} aria-label={label}>
        <code>{code}</code>
      </pre>
    </div>
  )
}

const STATUS_TONE: Record<string, string> = {
  queued: 'neutral',
  claimed: 'info',
  running: 'info',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'neutral',
  pending: 'neutral',
  skipped: 'neutral',
  error: 'danger',
  warning: 'warning',
  info: 'info',
  allowed: 'success',
  denied: 'danger',
}

export function Badge({ value, label }: { value: string; label?: string }): ReactNode {
  return <span className={`badge tone-${STATUS_TONE[value] ?? 'neutral'}`}>{label ?? value}</span>
}

/** A modal confirmation built on <dialog> (focus is trapped and restored by the browser). */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger,
  onConfirm,
  onCancel,
}: {
  open: boolean
  title: string
  children: ReactNode
  confirmLabel: string
  danger?: boolean
  onConfirm: () => void
  onCancel: () => void
}): ReactNode {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (dialog === null) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault()
        onCancel()
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">
        <button type="button" className="button secondary" onClick={onCancel} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className={`button ${danger === true ? 'danger' : 'primary'}`}
          onClick={onConfirm}
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  )
}

export function formatTime(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return value
  return d.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  })
}

export function formatDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`
  if (seconds >= 3600)
    return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`
  return `${Math.round(seconds / 60)} min`
}

export function shortId(id: string): string {
  return id.length > 14 ? `${id.slice(0, 12)}…` : id
}
