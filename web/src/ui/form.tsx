import type { ReactNode } from 'react'
import { FormError } from './feedback'
import type { Mutation } from './use-mutation'

/**
 * The scaffold every console form shares: the form-level error (with the field problems no input
 * shows), the fields, and an action row with the submit button (disabled while busy) and the
 * status line of the last success.
 */
export function MutationForm({
  mutation,
  onSubmit,
  submitLabel,
  fields = [],
  disabled = false,
  className = 'form',
  label,
  secondary,
  children,
}: {
  mutation: Mutation
  /** Called on submit (the default browser submit is prevented). */
  onSubmit: () => void
  submitLabel: ReactNode
  /** Field names the inputs show errors for. */
  fields?: readonly string[]
  disabled?: boolean
  className?: string
  label?: string
  /** Extra buttons beside the submit button. */
  secondary?: ReactNode
  children: ReactNode
}): ReactNode {
  return (
    <form
      className={className}
      aria-label={label}
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        onSubmit()
      }}
    >
      <FormError error={mutation.error} fields={fields} />
      {children}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={mutation.busy || disabled}>
          {submitLabel}
        </button>
        {secondary}
        <Saved text={mutation.done} />
      </div>
    </form>
  )
}

/** The status line of a successful change ("Saved"). */
export function Saved({ text }: { text: string | null }): ReactNode {
  if (text === null) return null
  return (
    <span role="status" className="saved">
      {text}
    </span>
  )
}

/** The outcome of an action outside a form: its error, or its status line as a paragraph. */
export function MutationStatus({ mutation }: { mutation: Mutation }): ReactNode {
  return (
    <>
      <FormError error={mutation.error} />
      {mutation.done === null ? null : (
        <p role="status" className="saved">
          {mutation.done}
        </p>
      )}
    </>
  )
}
