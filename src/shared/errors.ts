import { errorTable, type ErrorCode } from './error-codes.js'

/** Field-level problem, as reported in `error.details` of the REST API. */
export interface FieldProblem {
  readonly path: string
  readonly message: string
}

/**
 * Base of every error keyless throws on purpose. It carries a stable `code` (see
 * `error-codes.ts`, the one table), the HTTP status that code maps to, and optional
 * details safe to show to the caller. Never put a secret in a message or in details.
 */
export class KeylessError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly details: unknown

  constructor(code: ErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'KeylessError'
    this.code = code
    this.status = errorTable[code].status
    this.details = details
  }

  toJSON(): { code: ErrorCode; message: string; details?: unknown } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/** Input failed validation: `details` lists every failing field. */
export class ValidationFailed extends KeylessError {
  constructor(message: string, problems: readonly FieldProblem[]) {
    super('validation_failed', message, { fields: problems })
    this.name = 'ValidationFailed'
  }
}

/** Configuration problems found at startup, all of them at once. */
export class ConfigError extends KeylessError {
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super('config_invalid', `invalid configuration:\n  - ${problems.join('\n  - ')}`, { problems })
    this.name = 'ConfigError'
    this.problems = problems
  }
}

export function isKeylessError(value: unknown): value is KeylessError {
  return value instanceof KeylessError
}
