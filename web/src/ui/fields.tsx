import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react'
import { ApiError } from '../api/client'

/** The API's message for one form field, when `error` is an ApiError that names it. */
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

/**
 * The frame of every field: label ("(optional)" unless required), the control, then hint,
 * warning and error, wired to the control with aria-describedby.
 */
function Field({
  shell,
  required,
  control,
}: {
  shell: FieldShell
  required: boolean | undefined
  control: (aria: {
    id: string
    'aria-invalid': true | undefined
    'aria-describedby': string | undefined
  }) => ReactNode
}): ReactNode {
  const { label, hint, error, warning } = shell
  const ids = useFieldIds(error, hint, warning)
  return (
    <div className={`field${error === undefined ? '' : ' has-error'}`}>
      <label htmlFor={ids.id}>
        {label}
        {required === true ? null : <span className="optional"> (optional)</span>}
      </label>
      {control({
        id: ids.id,
        'aria-invalid': error === undefined ? undefined : true,
        'aria-describedby': ids.describedBy,
      })}
      <FieldMessages hint={hint} error={error} warning={warning} label={label} ids={ids} />
    </div>
  )
}

export function TextField({
  label,
  hint,
  error,
  warning,
  ...input
}: FieldShell & InputHTMLAttributes<HTMLInputElement>): ReactNode {
  return (
    <Field
      shell={{ label, hint, error, warning }}
      required={input.required}
      control={(aria) => <input {...aria} {...input} />}
    />
  )
}

export function TextArea({
  label,
  hint,
  error,
  warning,
  ...input
}: FieldShell & TextareaHTMLAttributes<HTMLTextAreaElement>): ReactNode {
  return (
    <Field
      shell={{ label, hint, error, warning }}
      required={input.required}
      control={(aria) => <textarea {...aria} {...input} />}
    />
  )
}

/** A select never says "(optional)": it always has a value. */
export function SelectField({
  label,
  hint,
  error,
  warning,
  children,
  ...input
}: FieldShell & SelectHTMLAttributes<HTMLSelectElement>): ReactNode {
  return (
    <Field
      shell={{ label, hint, error, warning }}
      required
      control={(aria) => (
        <select {...aria} {...input}>
          {children}
        </select>
      )}
    />
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
